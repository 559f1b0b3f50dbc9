using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Proxy.Fallback;

/// <summary>
/// The transformer for sending a route's request to another cluster: the route's own transforms (prefix
/// removal) with that cluster's provider transforms (credentials, format conversion, usage tap). Built once per
/// configuration: keys are the config objects, which a reload replaces.
/// </summary>
internal sealed class FallbackTransformerCache
{
    private readonly ITransformBuilder _builder;
    private readonly ConditionalWeakTable<RouteConfig, ConcurrentDictionary<ClusterConfig, HttpTransformer>> _cache = new();

    public FallbackTransformerCache(ITransformBuilder builder)
    {
        _builder = builder;
    }

    public HttpTransformer Get(RouteConfig route, ClusterConfig cluster) =>
        _cache.GetOrCreateValue(route).GetOrAdd(cluster, c => _builder.Build(route with { ClusterId = c.ClusterId }, c));
}
