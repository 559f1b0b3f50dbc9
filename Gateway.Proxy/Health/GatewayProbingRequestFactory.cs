using System.Net;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>YARP's probe request, marked so <see cref="ProbeTimingHandler"/> can time it.</summary>
internal sealed class GatewayProbingRequestFactory : IProbingRequestFactory
{
    public HttpRequestMessage CreateRequest(ClusterModel cluster, DestinationModel destination)
    {
        var config = cluster.Config.HealthCheck?.Active;
        var address = destination.Config.Health ?? destination.Config.Address;
        var uri = new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), (config?.Path ?? string.Empty).TrimStart('/') + (config?.Query ?? string.Empty));
        var request = new ProbeRequest(HttpMethod.Get, uri, cluster.Config.ClusterId)
        {
            Version = cluster.Config.HttpRequest?.Version ?? HttpVersion.Version11,
            VersionPolicy = cluster.Config.HttpRequest?.VersionPolicy ?? HttpVersionPolicy.RequestVersionOrLower,
        };
        return request;
    }
}

/// <summary>An active health probe: its own type, so telling it from a proxied request costs a type check.</summary>
internal sealed class ProbeRequest(HttpMethod method, Uri uri, string cluster) : HttpRequestMessage(method, uri)
{
    public string Cluster { get; } = cluster;
}
