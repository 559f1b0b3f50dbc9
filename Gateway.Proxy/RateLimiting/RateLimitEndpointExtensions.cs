namespace Gateway.Proxy.RateLimiting;

/// <summary>The guide's custom-limit decorator, as endpoint conventions.</summary>
public static class RateLimitEndpointExtensions
{
    /// <summary>Limits this endpoint per client, e.g. <c>app.MapPost("/expensive", ...).RequireGatewayRateLimit("10/minute")</c>.</summary>
    public static TBuilder RequireGatewayRateLimit<TBuilder>(this TBuilder builder, string limit)
        where TBuilder : IEndpointConventionBuilder
    {
        var rule = RateLimitRule.Parse(limit, nameof(RequireGatewayRateLimit));
        builder.WithMetadata(new GatewayRateLimitMetadata(rule));
        return builder;
    }

    /// <summary>Exempts this endpoint from rate limiting.</summary>
    public static TBuilder DisableGatewayRateLimit<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(GatewayRateLimitExemptMetadata.Instance);
        return builder;
    }
}
