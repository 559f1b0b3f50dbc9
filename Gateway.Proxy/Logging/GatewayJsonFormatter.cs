using System.Globalization;
using Gateway.Proxy.Sanitization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;

namespace Gateway.Proxy.Logging;

/// <summary>
/// One JSON object per line with the guide's fields: <c>timestamp</c> (UTC, milliseconds, <c>Z</c>),
/// <c>level</c> (<c>DEBUG</c>/<c>INFO</c>/<c>WARNING</c>/<c>ERROR</c>/<c>CRITICAL</c>), <c>logger</c>,
/// <c>event</c> (the stable event name, or the message for framework lines), then the event's own fields.
/// With a <see cref="Sanitizer"/>, every string (message, values at any depth, exception) is sanitized and the
/// values of sensitive keys are redacted.
/// </summary>
public sealed class GatewayJsonFormatter : ITextFormatter
{
    private readonly Sanitizer? _sanitizer;

    public GatewayJsonFormatter(Sanitizer? sanitizer = null)
    {
        _sanitizer = sanitizer;
    }

    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        output.Write("{\"timestamp\":\"");
        Span<char> timestamp = stackalloc char[24];
        if (logEvent.Timestamp.UtcDateTime.TryFormat(timestamp, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
        {
            output.Write(timestamp[..written]);
        }
        output.Write("\",\"level\":\"");
        output.Write(LevelName(logEvent.Level));
        output.Write("\",\"logger\":");
        JsonValueFormatter.WriteQuotedJsonString(LoggerName(logEvent), output);

        // Named events carry their data as fields (the guide's format has no message); other lines are their message.
        var eventName = EventName(logEvent);
        output.Write(",\"event\":");
        JsonValueFormatter.WriteQuotedJsonString(eventName ?? Clean(logEvent.RenderMessage(CultureInfo.InvariantCulture)), output);

        foreach (var (name, value) in logEvent.Properties)
        {
            if (name is "SourceContext" or "EventId" or "{OriginalFormat}" or "event")
            {
                continue;
            }

            output.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(name, output);
            output.Write(':');
            WriteValue(name, value, output);
        }

        if (logEvent.Exception is not null)
        {
            output.Write(",\"exception\":");
            JsonValueFormatter.WriteQuotedJsonString(Clean(logEvent.Exception.ToString()), output);
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

    private string Clean(string text) => _sanitizer?.Sanitize(text) ?? text;

    private void WriteValue(string? key, LogEventPropertyValue value, TextWriter output)
    {
        if (_sanitizer is not null && key is not null && Sanitizer.IsSensitiveKey(key) && value is not (StructureValue or DictionaryValue or SequenceValue))
        {
            JsonValueFormatter.WriteQuotedJsonString(_sanitizer.Redacted("SECRET"), output);
            return;
        }

        switch (value)
        {
            case ScalarValue { Value: string s } when key is "trace_id" or "span_id" && IsHex(s):
                // The enricher's W3C ids (hex, fixed length): nothing in them to redact, so no sanitizer pass per line.
                output.Write('"');
                output.Write(s);
                output.Write('"');
                break;
            case ScalarValue { Value: string s }:
                JsonValueFormatter.WriteQuotedJsonString(Clean(s), output);
                break;
            case ScalarValue { Value: null }:
                output.Write("null");
                break;
            case ScalarValue { Value: bool b }:
                output.Write(b ? "true" : "false");
                break;
            case ScalarValue { Value: decimal or double or float or int or long or short or byte or uint or ulong or ushort or sbyte } number:
                WriteNumber(number, output);
                break;
            case ScalarValue scalar:
                JsonValueFormatter.WriteQuotedJsonString(Clean(Convert.ToString(scalar.Value, CultureInfo.InvariantCulture) ?? string.Empty), output);
                break;
            case SequenceValue sequence:
                output.Write('[');
                for (var i = 0; i < sequence.Elements.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(',');
                    }

                    WriteValue(null, sequence.Elements[i], output);
                }

                output.Write(']');
                break;
            case StructureValue structure:
                output.Write('{');
                for (var i = 0; i < structure.Properties.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Write(',');
                    }

                    JsonValueFormatter.WriteQuotedJsonString(structure.Properties[i].Name, output);
                    output.Write(':');
                    WriteValue(structure.Properties[i].Name, structure.Properties[i].Value, output);
                }

                output.Write('}');
                break;
            case DictionaryValue dictionary:
                output.Write('{');
                var first = true;
                foreach (var (k, v) in dictionary.Elements)
                {
                    if (!first)
                    {
                        output.Write(',');
                    }

                    first = false;
                    var name = Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                    JsonValueFormatter.WriteQuotedJsonString(name, output);
                    output.Write(':');
                    WriteValue(name, v, output);
                }

                output.Write('}');
                break;
            default:
                JsonValueFormatter.WriteQuotedJsonString(Clean(value.ToString()), output);
                break;
        }
    }

    /// <summary>A number without a string per value (lines are formatted for every request).</summary>
    private static void WriteNumber(ScalarValue number, TextWriter output)
    {
        Span<char> buffer = stackalloc char[64];
        if (((ISpanFormattable)number.Value!).TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture))
        {
            output.Write(buffer[..written]);
        }
        else
        {
            number.Render(output, null, CultureInfo.InvariantCulture);
        }
    }

    private static bool IsHex(string text) => text.Length is 16 or 32 && !text.AsSpan().ContainsAnyExcept(HexDigits);

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdef");

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
