using Gateway.Proxy.Logging;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>
/// Logs <c>provider_health_changed</c> on every transition. The passive policy reports the transitions it
/// causes at once (with the reason); a one-second poll of YARP's state catches the rest (reactivation after
/// the period, active probe results).
/// </summary>
internal sealed partial class ProviderHealthMonitor : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ProviderHealthMonitor> _logger;
    private readonly Dictionary<(string Cluster, string Destination), bool> _lastHealthy = [];
    private readonly Lock _gate = new();

    /// <remarks>YARP's state is resolved lazily: the passive policy YARP builds its state with depends on this monitor.</remarks>
    public ProviderHealthMonitor(IServiceProvider services, TimeProvider timeProvider, ILogger<ProviderHealthMonitor> logger)
    {
        _services = services;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Records a transition the caller just made, logging it if it is one.</summary>
    public void Report(string cluster, string destination, bool healthy, string reason)
    {
        lock (_gate)
        {
            var key = (cluster, destination);
            var was = _lastHealthy.TryGetValue(key, out var previous) ? previous : true;
            _lastHealthy[key] = healthy;
            if (was != healthy)
            {
                Log.ProviderHealthChanged(_logger, cluster, destination, Name(was), Name(healthy), reason);
            }
        }
    }

    public void Poll()
    {
        foreach (var cluster in _services.GetRequiredService<IProxyStateLookup>().GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var health = destination.Health;
                var healthy = health.Passive != DestinationHealth.Unhealthy && health.Active != DestinationHealth.Unhealthy;
                var reason = healthy ? "reactivated" : health.Active == DestinationHealth.Unhealthy ? "active_probe_failed" : "passive_failures";
                Report(cluster.ClusterId, destination.DestinationId, healthy, reason);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Poll();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Name(bool healthy) => healthy ? "healthy" : "unhealthy";
}
