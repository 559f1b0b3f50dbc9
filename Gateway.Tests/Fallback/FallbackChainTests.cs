using Gateway.Proxy.Fallback;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Fallback;

public sealed class FallbackChainTests
{
    [Theory]
    [InlineData("bedrock", false, false)]
    [InlineData("Bedrock", false, false)]
    [InlineData(" BEDROCK ", false, false)]
    [InlineData("bedrock", true, true)]
    [InlineData("anthropic", false, true)]
    public void CanServe_ReadsTheProviderAsEveryOtherStepDoes(string provider, bool awsConfigured, bool expected)
    {
        var cluster = Cluster(provider, destinations: 1);

        Assert.Equal(expected, FallbackChain.CanServe(cluster, awsConfigured));
    }

    [Fact]
    public void CanServe_NeedsAnAvailableDestination()
    {
        Assert.False(FallbackChain.CanServe(Cluster("anthropic", destinations: 0), awsConfigured: true));
    }

    private static ClusterState Cluster(string provider, int destinations)
    {
        var config = new ClusterConfig { ClusterId = "c", Metadata = new Dictionary<string, string> { ["Provider"] = provider } };
        var cluster = new ClusterState("c", new ClusterModel(config, new HttpMessageInvoker(new HttpClientHandler())));
        var available = Enumerable.Range(0, destinations).Select(i => new DestinationState("d" + i)).ToList();
        cluster.DestinationsState = new ClusterDestinationsState(available, available);
        return cluster;
    }
}
