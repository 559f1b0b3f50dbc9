using Gateway.Proxy.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Health;

public sealed class LlmPassiveHealthPolicyTests
{
    [Theory]
    [InlineData(ForwarderError.RequestCreation)]
    [InlineData(ForwarderError.ResponseHeaders)]
    [InlineData(ForwarderError.RequestCanceled)]
    [InlineData(ForwarderError.ResponseBodyClient)]
    public void GatewaySideOrClientErrors_NeverMarkTheProvider(ForwarderError error)
    {
        var (policy, updater, cluster, destination) = Create();

        for (var i = 0; i < 10; i++)
        {
            policy.Report(cluster, destination, 502, error, null);
        }

        Assert.Empty(updater.Calls);
    }

    [Fact]
    public void TransportFailures_MarkAfterThreshold_429AtOnceForRetryAfter()
    {
        var (policy, updater, cluster, destination) = Create();

        policy.Report(cluster, destination, 502, ForwarderError.Request, null);
        policy.Report(cluster, destination, 502, ForwarderError.Request, null);
        Assert.Empty(updater.Calls);
        policy.Report(cluster, destination, 502, ForwarderError.Request, null);
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(updater.Calls));

        policy.Report(cluster, destination, 429, null, TimeSpan.FromSeconds(7));
        Assert.Equal(TimeSpan.FromSeconds(7), updater.Calls[^1]);
    }

    [Fact]
    public void Success_ResetsTheFailureCount()
    {
        var (policy, updater, cluster, destination) = Create();

        policy.Report(cluster, destination, 500, null, null);
        policy.Report(cluster, destination, 500, null, null);
        policy.Report(cluster, destination, 200, null, null);
        policy.Report(cluster, destination, 500, null, null);

        Assert.Empty(updater.Calls);
    }

    private static (LlmPassiveHealthPolicy, RecordingUpdater, ClusterState, DestinationState) Create()
    {
        var updater = new RecordingUpdater();
        var monitor = new ProviderHealthMonitor(new ServiceCollection().BuildServiceProvider(), TimeProvider.System, NullLogger<ProviderHealthMonitor>.Instance);
        var cluster = new ClusterState("openai", new ClusterModel(new ClusterConfig { ClusterId = "openai" }, new HttpMessageInvoker(new HttpClientHandler())));
        return (new LlmPassiveHealthPolicy(updater, monitor), updater, cluster, new DestinationState("primary"));
    }

    private sealed class RecordingUpdater : IDestinationHealthUpdater
    {
        public List<TimeSpan> Calls { get; } = [];

        public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthPairs)
        {
        }

        public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
            Calls.Add(reactivationPeriod);
    }
}
