namespace Gateway.Proxy.Hosting;

/// <summary>Host-level settings (section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The routes file, relative to the content root; hot-reloaded.</summary>
    /// <value>Default <c>routes.json</c>.</value>
    public string RoutesFile { get; set; } = "routes.json";

    /// <summary>Largest request body accepted, in bytes; larger bodies get a JSON 413.</summary>
    /// <value>Default 32 MiB.</value>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Largest body held in memory so it can be replayed to a fallback; larger bodies stream through without fallback.</summary>
    /// <value>Default 8 MiB.</value>
    public long MaxReplayBodyBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>Connections Kestrel accepts at once; null for no limit.</summary>
    /// <value>Default 10,000.</value>
    public long? MaxConcurrentConnections { get; set; } = 10_000;

    /// <summary>On shutdown, how long in-flight requests and streams may take to finish, in seconds.</summary>
    /// <value>Default 30.</value>
    public int DrainSeconds { get; set; } = 30;
}
