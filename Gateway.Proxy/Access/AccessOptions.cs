namespace Gateway.Proxy.Access;

/// <summary>Access settings (section <c>Gateway</c>, env overrides).</summary>
public sealed class AccessOptions
{
    /// <summary>Env <c>GATEWAY_ALLOW_REMOTE</c>: serve non-loopback clients even though the gateway holds provider keys and no gateway keys are set.</summary>
    public bool AllowUnauthenticatedRemote { get; set; }

    /// <summary>Env <c>GATEWAY_METRICS_TOKEN</c>: bearer token required on <c>/metrics</c> and <c>/metrics/stats</c> (off when empty).</summary>
    public string? MetricsToken { get; set; }

    public static AccessOptions FromConfiguration(IConfiguration configuration)
    {
        var allow = configuration["GATEWAY_ALLOW_REMOTE"] ?? configuration["Gateway:AllowUnauthenticatedRemote"];
        return new AccessOptions
        {
            AllowUnauthenticatedRemote = allow is not null && (bool.TryParse(allow, out var value) ? value
                : throw new InvalidOperationException($"GATEWAY_ALLOW_REMOTE '{allow}' is not true or false.")),
            MetricsToken = configuration["GATEWAY_METRICS_TOKEN"] ?? configuration["Gateway:MetricsToken"],
        };
    }
}
