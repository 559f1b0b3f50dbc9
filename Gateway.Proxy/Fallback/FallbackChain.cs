using Gateway.Transforms.Providers;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Fallback;

/// <summary>The ordered fallback cluster ids from metadata <c>Fallback</c> on the route, else on the cluster.</summary>
internal static class FallbackChain
{
    public const string MetadataKey = "Fallback";

    public static IReadOnlyList<string> Resolve(RouteConfig route, ClusterConfig cluster)
    {
        if (route.Metadata?.GetValueOrDefault(MetadataKey) is not { } own)
        {
            return Resolve(cluster);
        }

        if (ByRoute.TryGetValue(route, out var cached) && ReferenceEquals(cached.Cluster, cluster))
        {
            return cached.Chain;
        }

        var chain = Parse(own, cluster);
        ByRoute.AddOrUpdate(route, new RouteChain(cluster, chain));
        return chain;
    }

    /// <summary>The cluster's own chain (the unified endpoint has no route).</summary>
    public static IReadOnlyList<string> Resolve(ClusterConfig cluster) =>
        Parsed.GetValue(cluster, static c => Parse(c.Metadata?.GetValueOrDefault(MetadataKey), c));

    // A cluster's config is immutable (a reload makes new ones), so each is parsed once, not on every request.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ClusterConfig, string[]> Parsed = new();
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RouteConfig, RouteChain> ByRoute = new();

    private sealed record RouteChain(ClusterConfig Cluster, string[] Chain);

    /// <summary>
    /// A cluster can take a request: it has a usable destination, and for Bedrock the gateway holds AWS credentials
    /// (without them AWS would only answer 403).
    /// </summary>
    public static bool CanServe(ClusterState cluster, bool awsConfigured) =>
        cluster.DestinationsState.AvailableDestinations.Count > 0
        && (awsConfigured || !(ProviderApis.TryParse(cluster.Model.Config.Metadata?.GetValueOrDefault(ProviderApis.MetadataKey), out var api)
            && api == ProviderApi.Bedrock));

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
