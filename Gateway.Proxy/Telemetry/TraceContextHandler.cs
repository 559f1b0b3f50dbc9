using System.Diagnostics;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Puts the current upstream attempt's W3C trace context (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) on a
/// forwarded request, replacing whatever the client sent, so the provider's span is a child of
/// <c>provider_attempt_N</c>. It stands in for .NET's HTTP client instrumentation, which the forwarder's handler
/// has switched off: that instrumentation would start a third span per request (with its tags, two
/// <c>Activity.Current</c> changes and one more exported span) only to repeat what the attempt span says.
/// Without a current activity (tracing off) the client's headers pass through unchanged, as YARP does.
/// </summary>
internal sealed class TraceContextHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly DistributedContextPropagator.PropagatorSetterCallback Setter = static (carrier, name, value) =>
    {
        if (carrier is HttpRequestMessage request && value is not null)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Activity.Current is { } activity)
        {
            var propagator = DistributedContextPropagator.Current;
            foreach (var field in propagator.Fields)
            {
                request.Headers.Remove(field);
            }

            propagator.Inject(activity, request, Setter);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
