using System.Diagnostics;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Puts the current upstream attempt's W3C trace context (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) on a
/// forwarded request, replacing whatever the client sent, so the provider's span is a child of
/// <c>provider_attempt_N</c>. It stands in for .NET's HTTP client instrumentation, which the forwarder's handler
/// has switched off: that instrumentation would start a third span per request (with its tags, two
/// <c>Activity.Current</c> changes and one more exported span) only to repeat what the attempt span says.
/// Without a current activity (tracing off) the client's headers pass through unchanged, as YARP does.
/// Both upstream clients use it, the forwarder's and <c>/v1/generate</c>'s; their socket handlers must have no
/// <see cref="SocketsHttpHandler.ActivityHeadersPropagator"/> (see <see cref="WithoutHttpClientSpans"/>).
/// </summary>
internal sealed class TraceContextHandler : DelegatingHandler
{
    /// <summary>For IHttpClientFactory, which sets the inner handler.</summary>
    public TraceContextHandler()
    {
    }

    public TraceContextHandler(HttpMessageHandler inner)
        : base(inner)
    {
    }

    /// <summary>
    /// No propagator: the socket handler then leaves out .NET's diagnostics step, which would otherwise start a
    /// span of its own (exported or not) and send its id upstream as the provider's parent.
    /// </summary>
    public static SocketsHttpHandler WithoutHttpClientSpans(SocketsHttpHandler handler)
    {
        handler.ActivityHeadersPropagator = null;
        return handler;
    }

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
