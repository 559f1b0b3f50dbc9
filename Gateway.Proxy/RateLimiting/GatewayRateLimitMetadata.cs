namespace Gateway.Proxy.RateLimiting;

/// <summary>Endpoint metadata: this endpoint's own limit (from <see cref="RateLimitEndpointExtensions.RequireGatewayRateLimit{TBuilder}"/>).</summary>
public sealed class GatewayRateLimitMetadata(RateLimitRule rule)
{
    public RateLimitRule Rule { get; } = rule;
}

/// <summary>Endpoint metadata: never rate-limited (metrics and health endpoints).</summary>
public sealed class GatewayRateLimitExemptMetadata
{
    public static readonly GatewayRateLimitExemptMetadata Instance = new();
}
