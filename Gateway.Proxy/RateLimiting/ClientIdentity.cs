using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Who a request is from, in the guide's order: <c>X-Client-ID</c>, then the bearer token or API-key header
/// (hashed: the raw key is never kept), then the client IP (<c>X-Forwarded-For</c> only from trusted proxies).
/// </summary>
public static class ClientIdentity
{
    private static readonly string[] KeyHeaders = ["x-api-key", "x-goog-api-key", "api-key"];

    /// <summary>The identity used as the limit key: <c>client:…</c>, <c>key:…</c> (a hash) or <c>ip:…</c>.</summary>
    public static string Resolve(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var headers = context.Request.Headers;
        var clientId = headers["X-Client-ID"].ToString();
        if (clientId.Length is > 0 and <= 128 && !clientId.Any(char.IsControl))
        {
            return "client:" + clientId;
        }

        var authorization = headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7)
        {
            return "key:" + Hash(authorization[7..].Trim());
        }

        foreach (var name in KeyHeaders)
        {
            var value = headers[name].ToString();
            if (value.Length > 0)
            {
                return "key:" + Hash(value);
            }
        }

        return "ip:" + ClientIp(context, trustedProxies);
    }

    /// <summary>The remote address, or the right-most untrusted <c>X-Forwarded-For</c> hop when the peer is a trusted proxy.</summary>
    public static string ClientIp(HttpContext context, IReadOnlyList<IPNetwork> trustedProxies)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null)
        {
            return "unknown";
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        if (trustedProxies.Count == 0 || !IsTrusted(remote, trustedProxies))
        {
            return remote.ToString();
        }

        var hops = context.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!IPAddress.TryParse(hops[i], out var hop))
            {
                break;
            }

            if (!IsTrusted(hop, trustedProxies))
            {
                return hop.ToString();
            }
        }

        return remote.ToString();
    }

    /// <summary>A short, stable, one-way digest (SHA-256, first 16 hex characters).</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..16];

    private static bool IsTrusted(IPAddress address, IReadOnlyList<IPNetwork> trusted)
    {
        foreach (var network in trusted)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
