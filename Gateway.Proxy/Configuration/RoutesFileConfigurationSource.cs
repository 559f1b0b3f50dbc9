namespace Gateway.Proxy.Configuration;

/// <summary>Configuration source for routes.json that only ever applies a complete, valid file.</summary>
public sealed class RoutesFileConfigurationSource : IConfigurationSource
{
    public required string Path { get; init; }

    public required RoutesReloadNotifier Notifier { get; init; }

    public TimeSpan ReloadDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RoutesFileConfigurationProvider(this);
}
