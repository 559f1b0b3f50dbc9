using Gateway.Proxy.Stats;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>Reads every destination's passive/active health from YARP's live state.</summary>
internal static class ProviderHealthReader
{
    public static IReadOnlyList<ProviderHealthEntry> Read(IProxyStateLookup state)
    {
        var entries = new List<ProviderHealthEntry>();
        foreach (var cluster in state.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                var health = destination.Health;
                entries.Add(new ProviderHealthEntry(
                    cluster.ClusterId,
                    destination.DestinationId,
                    health.Passive != DestinationHealth.Unhealthy && health.Active != DestinationHealth.Unhealthy,
                    health.Passive.ToString(),
                    health.Active.ToString()));
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Provider + "/" + a.Destination, b.Provider + "/" + b.Destination));
        return entries;
    }
}
