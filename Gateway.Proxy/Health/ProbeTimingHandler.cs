using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Health;

/// <summary>Times active health probes (marked by <see cref="GatewayProbingRequestFactory"/>) for <c>gateway_provider_health_latency_seconds</c>.</summary>
internal sealed class ProbeTimingHandler : DelegatingHandler
{
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    public ProbeTimingHandler(HttpMessageHandler inner, GatewayMetrics metrics, TimeProvider timeProvider)
        : base(inner)
    {
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    // Not async for proxied requests: no state machine on the hot path.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request is ProbeRequest probe ? TimedAsync(probe, cancellationToken) : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> TimedAsync(ProbeRequest probe, CancellationToken cancellationToken)
    {
        var start = _timeProvider.GetTimestamp();
        try
        {
            return await base.SendAsync(probe, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _metrics.HealthProbe(probe.Cluster, _timeProvider.GetElapsedTime(start).TotalSeconds);
        }
    }
}
