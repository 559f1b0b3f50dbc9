using System.Diagnostics;
using Gateway.Transforms.Requests;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Proxy.Logging;

/// <summary>Adds the current request's correlation/session ids and the current trace/span ids to every event.</summary>
internal sealed class GatewayLogEnricher : ILogEventEnricher
{
    private readonly IHttpContextAccessor _accessor;
    private readonly bool _traceInfo;

    public GatewayLogEnricher(IHttpContextAccessor accessor, bool traceInfo = true)
    {
        _accessor = accessor;
        _traceInfo = traceInfo;
    }

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (_accessor.HttpContext?.Features.Get<GatewayRequestFeature>() is { } feature)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("correlation_id", new ScalarValue(feature.CorrelationId)));
            if (feature.SessionId is not null)
            {
                logEvent.AddPropertyIfAbsent(new LogEventProperty("session_id", new ScalarValue(feature.SessionId)));
            }
        }

        if (_traceInfo && Activity.Current is { } activity)
        {
            logEvent.AddPropertyIfAbsent(new LogEventProperty("trace_id", new ScalarValue(activity.TraceId.ToHexString())));
            logEvent.AddPropertyIfAbsent(new LogEventProperty("span_id", new ScalarValue(activity.SpanId.ToHexString())));
        }
    }
}
