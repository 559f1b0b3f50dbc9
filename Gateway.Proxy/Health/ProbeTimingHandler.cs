using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Health;

/// <summary>Times active health probes (marked by <see cref="GatewayProbingRequestFactory"/>) for <c>gateway_provider_health_latency_seconds</c>.</summary>
internal sealed class ProbeTimingHandler : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<string> ProbeCluster = new("Gateway.ProbeCluster");

    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    public ProbeTimingHandler(HttpMessageHandler inner, GatewayMetrics metrics, TimeProvider timeProvider)
        : base(inner)
    {
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ProbeCluster, out var cluster))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var start = _timeProvider.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            _metrics.HealthProbe(cluster, _timeProvider.GetElapsedTime(start).TotalSeconds);
        }
    }
}
