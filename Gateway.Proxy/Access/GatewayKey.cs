using System.Security.Cryptography;
using System.Text;
using Gateway.Proxy.RateLimiting;

namespace Gateway.Proxy.Access;

/// <summary>A client key of the gateway: a name (what logs, spans and metrics show), its own limit and allowed routes.</summary>
public sealed class GatewayKey
{
    public GatewayKey(string name, string key, RateLimitRule? rateLimit = null, IReadOnlyList<string>? allowedRoutes = null)
    {
        Name = name;
        Hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        RateLimit = rateLimit;
        AllowedRoutes = allowedRoutes ?? [];
    }

    public string Name { get; }

    /// <summary>SHA-256 of the key: the key itself is not kept.</summary>
    public byte[] Hash { get; }

    public RateLimitRule? RateLimit { get; }

    /// <summary>Route or cluster ids this key may use; empty means all.</summary>
    public IReadOnlyList<string> AllowedRoutes { get; }

    public override string ToString() => $"GatewayKey({Name})";
}
