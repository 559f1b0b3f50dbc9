using System.Diagnostics;
using Gateway.Pricing.Usage;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Gateway.Proxy.Logging;

/// <summary>
/// Writes the once-per-request events, <c>generation_success</c> and <c>generation_failed</c>, straight into the
/// Serilog pipeline (same enrichers, sanitizing formatter and sinks as every other line). Going through
/// Microsoft.Extensions.Logging would convert each of the ~15 fields through Serilog's property binder and grow
/// the event's property table three times on its way to the sinks; here the table is sized once and the values
/// are scalars already. The events' names, fields and message templates are those of the other events in <see cref="Log"/>.
/// </summary>
internal sealed class CompletionLog
{
    // Fields of the event, plus the enrichers' (SourceContext, correlation/session, trace/span ids) and a scope or two.
    private const int Capacity = 28;

    private static readonly MessageTemplate SuccessTemplate = new MessageTemplateParser().Parse(
        "{provider:l} {model:l} {status} in {latency_ms} ms: {input_tokens} in, {output_tokens} out, cost {cost_usd}");

    private static readonly MessageTemplate FailedTemplate = new MessageTemplateParser().Parse(
        "{provider:l} {model:l} failed with {status} ({error:l}) in {latency_ms} ms");

    private static readonly ScalarValue SuccessName = new("generation_success");
    private static readonly ScalarValue FailedName = new("generation_failed");
    private static readonly ScalarValue Null = new(null);
    private static readonly ScalarValue NoTokens = new(0L);
    private static readonly ScalarValue Ok = new(200);

    private readonly Serilog.ILogger _logger;

    public CompletionLog(Serilog.ILogger logger, string sourceContext)
    {
        // ForContext gives the logger the level overrides of its source, as an ILogger<T> would have.
        _logger = logger.ForContext(Constants.SourceContextPropertyName, sourceContext);
    }

    public void Success(string provider, string? model, string? route, int status, double latencyMs, TokenUsage usage, decimal? cost, string usageState, string? clientId)
    {
        if (!_logger.IsEnabled(LogEventLevel.Information))
        {
            return;
        }

        var properties = Common(SuccessName, provider, model, route, status, latencyMs, usage, cost, usageState, clientId);
        properties["cache_read_tokens"] = Tokens(usage.CacheReadTokens);
        properties["cache_write_tokens"] = Tokens(usage.CacheWriteTokens);
        properties["reasoning_tokens"] = Tokens(usage.ReasoningTokens);
        Write(LogEventLevel.Information, null, SuccessTemplate, properties);
    }

    public void Failed(string provider, string? model, string? route, int status, string error, double latencyMs, TokenUsage usage, decimal? cost, string usageState, string? clientId, Exception? exception)
    {
        if (!_logger.IsEnabled(LogEventLevel.Warning))
        {
            return;
        }

        var properties = Common(FailedName, provider, model, route, status, latencyMs, usage, cost, usageState, clientId);
        properties["error"] = new ScalarValue(error);
        Write(LogEventLevel.Warning, exception, FailedTemplate, properties);
    }

    private static Dictionary<string, LogEventPropertyValue> Common(ScalarValue name, string provider, string? model, string? route, int status, double latencyMs, TokenUsage usage, decimal? cost, string usageState, string? clientId) =>
        new(Capacity)
        {
            ["event"] = name,
            ["provider"] = new ScalarValue(provider),
            ["model"] = model is null ? Null : new ScalarValue(model),
            ["route"] = route is null ? Null : new ScalarValue(route),
            ["status"] = status == 200 ? Ok : new ScalarValue(status),
            ["latency_ms"] = new ScalarValue(latencyMs),
            ["input_tokens"] = Tokens(usage.TotalInputTokens),
            ["output_tokens"] = Tokens(usage.OutputTokens),
            ["total_tokens"] = Tokens(usage.TotalTokens),
            ["cost_usd"] = cost is { } c ? new ScalarValue(c) : Null,
            ["usage"] = new ScalarValue(usageState),
            ["client_id"] = clientId is null ? Null : new ScalarValue(clientId),
        };

    // Zero counts are most of the cache and reasoning fields: one shared value instead of a box and a wrapper each.
    private static ScalarValue Tokens(long count) => count == 0 ? NoTokens : new ScalarValue(count);

    private void Write(LogEventLevel level, Exception? exception, MessageTemplate template, Dictionary<string, LogEventPropertyValue> properties)
    {
        var activity = Activity.Current;
        _logger.Write(LogEvent.UnstableAssembleFromParts(DateTimeOffset.UtcNow, level, exception, template, properties,
            activity?.TraceId ?? default, activity?.SpanId ?? default));
    }
}
