namespace Gateway.Proxy.Stats;

/// <summary>One destination's health as YARP sees it.</summary>
public sealed record ProviderHealthEntry(string Provider, string Destination, bool Healthy, string Passive, string Active);
