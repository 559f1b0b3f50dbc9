using Gateway.Transforms.Providers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Fallback;

/// <summary>The ordered fallback cluster ids from metadata <c>Fallback</c> on the route, else on the cluster.</summary>
internal static class FallbackChain
{
    public const string MetadataKey = "Fallback";

    public static IReadOnlyList<string> Resolve(RouteConfig route, ClusterConfig cluster) =>
        Parse(route.Metadata?.GetValueOrDefault(MetadataKey) ?? cluster.Metadata?.GetValueOrDefault(MetadataKey), cluster);

    /// <summary>The cluster's own chain (the unified endpoint has no route).</summary>
    public static IReadOnlyList<string> Resolve(ClusterConfig cluster) => Parse(cluster.Metadata?.GetValueOrDefault(MetadataKey), cluster);

    /// <summary>
    /// A cluster can take a request: it has a usable destination, and for Bedrock the gateway holds AWS credentials
    /// (without them AWS would only answer 403).
    /// </summary>
    public static bool CanServe(ClusterState cluster, bool awsConfigured) =>
        cluster.DestinationsState.AvailableDestinations.Count > 0
        && (awsConfigured || cluster.Model.Config.Metadata?.GetValueOrDefault(ProviderApis.MetadataKey) != "bedrock");

    private static string[] Parse(string? value, ClusterConfig cluster)
    {
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
