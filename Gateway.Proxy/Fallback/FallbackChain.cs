using Yarp.ReverseProxy.Configuration;

namespace Gateway.Proxy.Fallback;

/// <summary>The ordered fallback cluster ids from metadata <c>Fallback</c> on the route, else on the cluster.</summary>
internal static class FallbackChain
{
    public const string MetadataKey = "Fallback";

    public static IReadOnlyList<string> Resolve(RouteConfig route, ClusterConfig cluster)
    {
        var value = route.Metadata?.GetValueOrDefault(MetadataKey) ?? cluster.Metadata?.GetValueOrDefault(MetadataKey);
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        return value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(id => !string.Equals(id, cluster.ClusterId, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray();
    }
}
