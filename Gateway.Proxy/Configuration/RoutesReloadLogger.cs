using Gateway.Proxy.Logging;

namespace Gateway.Proxy.Configuration;

/// <summary>Logs <c>config_reloaded</c> and <c>config_rejected</c> for routes.json reloads.</summary>
internal sealed class RoutesReloadLogger : IHostedService
{
    private readonly RoutesReloadNotifier _notifier;
    private readonly ILogger<RoutesReloadLogger> _logger;

    public RoutesReloadLogger(RoutesReloadNotifier notifier, ILogger<RoutesReloadLogger> logger)
    {
        _notifier = notifier;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _notifier.Reloaded += OnReloaded;
        _notifier.Rejected += OnRejected;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _notifier.Reloaded -= OnReloaded;
        _notifier.Rejected -= OnRejected;
        return Task.CompletedTask;
    }

    private void OnReloaded(string path) => Log.ConfigReloaded(_logger, path);

    private void OnRejected(string path, string reason) => Log.ConfigRejected(_logger, path, reason);
}
