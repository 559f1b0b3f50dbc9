using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace Gateway.Proxy.Logging;

/// <summary>
/// One JSON object per line with the guide's fields: <c>timestamp</c> (UTC, milliseconds, <c>Z</c>),
/// <c>level</c> (<c>DEBUG</c>/<c>INFO</c>/<c>WARNING</c>/<c>ERROR</c>/<c>CRITICAL</c>), <c>logger</c>,
/// <c>event</c> (the stable event name, or the message for framework lines), then the event's own fields.
/// </summary>
public sealed class GatewayJsonFormatter : ITextFormatter
{
    private static readonly JsonValueFormatter ValueFormatter = new(typeTagName: null);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"timestamp\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        output.Write("\",\"level\":\"");
        output.Write(LevelName(logEvent.Level));
        output.Write("\",\"logger\":");
        JsonValueFormatter.WriteQuotedJsonString(LoggerName(logEvent), output);

        var message = logEvent.RenderMessage(CultureInfo.InvariantCulture);
        var eventName = EventName(logEvent);
        output.Write(",\"event\":");
        JsonValueFormatter.WriteQuotedJsonString(eventName ?? message, output);
        if (eventName is not null && message != eventName)
        {
            output.Write(",\"message\":");
            JsonValueFormatter.WriteQuotedJsonString(message, output);
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            if (name is "SourceContext" or "EventId" or "{OriginalFormat}" or "event")
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            ValueFormatter.Format(value, output);
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"exception\":");
            JsonValueFormatter.WriteQuotedJsonString(logEvent.Exception.ToString(), output);
        }

        output.Write("}\n");
    }

    public static string LevelName(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
        LogEventLevel.Information => "INFO",
        LogEventLevel.Warning => "WARNING",
        LogEventLevel.Error => "ERROR",
        _ => "CRITICAL",
    };

    private static string LoggerName(LogEvent logEvent) =>
        logEvent.Properties.TryGetValue("SourceContext", out var value) && value is ScalarValue { Value: string name } ? name : "gateway";

    private static string? EventName(LogEvent logEvent)
    {
        if (logEvent.Properties.TryGetValue("event", out var explicitName) && explicitName is ScalarValue { Value: string e })
        {
            return e;
        }

        return logEvent.Properties.TryGetValue("EventId", out var id) && id is StructureValue structure
            ? structure.Properties.FirstOrDefault(p => p.Name == "Name")?.Value is ScalarValue { Value: string name } ? name : null
            : null;
    }
}
