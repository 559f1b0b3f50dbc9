namespace Gateway.Proxy.RateLimiting;

/// <summary>Rate limiting settings: the guide's env vars, plus section <c>RateLimiting</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Env <c>RATE_LIMIT_ENABLED</c>. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Env <c>RATE_LIMIT_DEFAULT</c>: the limit per client and endpoint. Default <c>100/minute</c>.</summary>
    public RateLimitRule Default { get; set; } = new(100, TimeSpan.FromMinutes(1));

    /// <summary>Env <c>RATE_LIMIT_TOKENS_PER_MINUTE</c>: per-client token budget, or null for none.</summary>
    public long? TokensPerMinute { get; set; }

    /// <summary>Output tokens reserved for a request that names no <c>max_tokens</c>. Default 4096.</summary>
    public long DefaultMaxOutputTokens { get; set; } = 4096;

    /// <summary>Env <c>RATE_LIMIT_REDIS</c>: a StackExchange.Redis connection string, or null for in-memory limits.</summary>
    public string? Redis { get; set; }

    /// <summary>Env <c>RATE_LIMIT_FAIL_CLOSED</c>: refuse requests (503) while Redis is unreachable. Default false (fail open).</summary>
    public bool FailClosed { get; set; }

    /// <summary>Env <c>RATE_LIMIT_TRUSTED_PROXIES</c>: proxies whose <c>X-Forwarded-For</c> is believed (IPs or CIDRs).</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    /// <summary>Reads and validates the settings; a malformed value fails naming the variable.</summary>
    public static RateLimitOptions FromConfiguration(IConfiguration configuration)
    {
        var options = new RateLimitOptions();
        var enabled = configuration["RATE_LIMIT_ENABLED"] ?? configuration["RateLimiting:Enabled"];
        if (enabled is not null)
        {
            options.Enabled = bool.TryParse(enabled, out var e) ? e
                : throw new InvalidOperationException($"RATE_LIMIT_ENABLED '{enabled}' is not true or false.");
        }

        var rule = configuration["RATE_LIMIT_DEFAULT"] ?? configuration["RateLimiting:Default"];
        if (rule is not null)
        {
            options.Default = RateLimitRule.Parse(rule, "RATE_LIMIT_DEFAULT");
        }

        var tokens = configuration["RATE_LIMIT_TOKENS_PER_MINUTE"] ?? configuration["RateLimiting:TokensPerMinute"];
        if (!string.IsNullOrWhiteSpace(tokens))
        {
            options.TokensPerMinute = long.TryParse(tokens, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 ? t
                : throw new InvalidOperationException($"RATE_LIMIT_TOKENS_PER_MINUTE '{tokens}' is not a positive integer.");
        }

        options.Redis = configuration["RATE_LIMIT_REDIS"] ?? configuration["RateLimiting:Redis"];
        var failClosed = configuration["RATE_LIMIT_FAIL_CLOSED"] ?? configuration["RateLimiting:FailClosed"];
        if (failClosed is not null)
        {
            options.FailClosed = bool.TryParse(failClosed, out var f) ? f
                : throw new InvalidOperationException($"RATE_LIMIT_FAIL_CLOSED '{failClosed}' is not true or false.");
        }

        var proxies = configuration["RATE_LIMIT_TRUSTED_PROXIES"] ?? configuration["RateLimiting:TrustedProxies"];
        if (!string.IsNullOrWhiteSpace(proxies))
        {
            options.TrustedProxies = proxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => System.Net.IPNetwork.TryParse(p.Contains('/', StringComparison.Ordinal) ? p : p + (p.Contains(':', StringComparison.Ordinal) ? "/128" : "/32"), out var network)
                    ? network
                    : throw new InvalidOperationException($"RATE_LIMIT_TRUSTED_PROXIES entry '{p}' is not an IP address or CIDR."))
                .ToArray();
        }

        return options;
    }
}
