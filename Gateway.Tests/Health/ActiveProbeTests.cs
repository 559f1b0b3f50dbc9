using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Health;

[Collection(IntegrationCollection.Name)]
public sealed partial class ActiveProbeTests
{
    [Fact]
    public async Task ActiveProbes_AreTimed_ProxiedRequestsAreNot()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/health")).RespondWith(Response.Create().WithStatusCode(200));
        upstream.Given(Request.Create().WithPath("/v1/chat/completions")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            editRoutes: routes => routes["ReverseProxy"]!["Clusters"]!["openai"]!["HealthCheck"]!["Active"] = new JsonObject
            {
                ["Enabled"] = true,
                ["Interval"] = "00:00:01",
                ["Timeout"] = "00:00:05",
                ["Policy"] = "ConsecutiveFailures",
                ["Path"] = "/health",
            });

        for (var i = 0; i < 5; i++)
        {
            (await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}"))).Dispose();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var probes = 0L;
        while (DateTime.UtcNow < deadline && (probes = ProbeCount(await gateway.Client.GetStringAsync("/metrics"))) == 0)
        {
            await Task.Delay(200);
        }

        Assert.True(probes > 0, "no probe was timed");
        var probesSent = upstream.LogEntries.Count(e => e.RequestMessage.Path == "/health");
        // Every timed probe was a real probe; the five proxied requests were not counted.
        Assert.InRange(probes, 1, probesSent);
    }

    private static long ProbeCount(string metrics)
    {
        var match = ProbeCountLine().Match(metrics);
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex("""gateway_provider_health_latency_seconds_count\{[^}]*provider="openai"[^}]*\} (\d+)""")]
    private static partial Regex ProbeCountLine();
}
