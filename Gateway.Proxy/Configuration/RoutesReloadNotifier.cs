namespace Gateway.Proxy.Configuration;

/// <summary>Carries routes.json reload outcomes from the configuration provider (which has no logger) to the host.</summary>
public sealed class RoutesReloadNotifier
{
    public event Action<string>? Reloaded;

    public event Action<string, string>? Rejected;

    internal void OnReloaded(string path) => Reloaded?.Invoke(path);

    internal void OnRejected(string path, string reason) => Rejected?.Invoke(path, reason);
}
