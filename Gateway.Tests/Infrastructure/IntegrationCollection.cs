namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Integration tests run one at a time: each starts real servers, and OpenTelemetry listens to meters by name
/// process-wide, so two gateways in parallel would see each other's measurements.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "integration";
}
