using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Telemetry;

/// <summary>A real Prometheus scrapes the gateway under traffic; the guide's queries and every shipped expression evaluate.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class PrometheusScrapeTests
{
    /// <summary>The guide's PromQL, and whether known traffic must make it return data.</summary>
    public static readonly (string Query, bool MustReturnData)[] GuideQueries =
    [
        ("rate(gateway_requests_total[5m])", true),
        ("rate(gateway_requests_success_total[5m]) / rate(gateway_requests_total[5m])", true),
        ("histogram_quantile(0.95, rate(gateway_request_duration_seconds_bucket[5m]))", true),
        ("rate(gateway_cost_total_usd[1h]) * 3600", true),
        ("gateway_active_requests", true),
        ("rate(gateway_fallback_triggered_total[5m])", true),
        ("histogram_quantile(0.50, rate(gateway_request_duration_seconds_bucket{provider=\"anthropic\"}[5m]))", true),
        ("histogram_quantile(0.95, rate(gateway_request_duration_seconds_bucket[5m]))", true),
        ("histogram_quantile(0.99, rate(gateway_request_duration_seconds_bucket{model=\"claude-sonnet-4-5\"}[5m]))", true),
        ("histogram_quantile(0.50, rate(gateway_request_duration_seconds_bucket[5m]))", true),
        ("gateway_rate_limit_hits_total", true),
        ("gateway_rate_limit_hits_total{endpoint=\"/v1/generate\"}", false),
        ("gateway_rate_limit_hits_total{client_id=\"ip:192.168.1.1\"}", false),
        ("sum by (model) (gateway_cost_total_usd)", true),
        ("gateway_cost_per_request_usd{quantile=\"0.99\"}", false),
    ];

    [Fact]
    public async Task Prometheus_ScrapesGateway_GuideDashboardAndAlertQueriesEvaluate()
    {
        using var upstream = MixedTraffic.StartUpstream();
        // Failing embeddings fall back to the mock (fallback metrics); the gemini route allows one request a minute (rate-limit hits).
        var routes = MixedTraffic.Routes(upstream);
        routes["gemini"] = upstream.Url + "/";
        await using var gateway = await GatewayHost.StartAsync(routes, editRoutes: r =>
        {
            r["ReverseProxy"]!["Clusters"]!["openai"]!["Metadata"]!["Fallback"] = "mock";
            r["ReverseProxy"]!["Routes"]!["gemini"]!["Metadata"] = new System.Text.Json.Nodes.JsonObject { ["RateLimit"] = "1/minute" };
        });
        await SendRoundAsync(gateway, 0);
        var rules = Path.Combine(RepoPaths.Root, "compose", "alerts.yml");
        using var prometheus = await PrometheusServer.StartAsync(gateway.BaseAddress, rules);
        await prometheus.WaitForScrapesAsync(2);
        await SendRoundAsync(gateway, 1);
        await SendRoundAsync(gateway, 2);
        await prometheus.WaitForScrapesAsync(5);

        var failures = new List<string>();
        foreach (var (query, mustReturnData) in GuideQueries)
        {
            var result = await prometheus.QueryAsync(query);
            if (mustReturnData && result.GetArrayLength() == 0)
            {
                failures.Add("no data: " + query);
            }
        }

        foreach (var expr in DashboardExpressions().Concat(AlertExpressions()))
        {
            await prometheus.QueryAsync(expr);
        }

        Assert.Empty(failures);
        var rate = await prometheus.QueryAsync("sum(rate(gateway_requests_total[5m]))");
        Assert.True(double.Parse(rate[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var groups = JsonDocument.Parse(await prometheus.Client.GetStringAsync("api/v1/rules")).RootElement.GetProperty("data").GetProperty("groups");
        Assert.Equal(6, groups[0].GetProperty("rules").GetArrayLength());
        Assert.All(groups[0].GetProperty("rules").EnumerateArray(), r => Assert.Equal("ok", r.GetProperty("health").GetString()));
    }

    private static async Task SendRoundAsync(GatewayHost gateway, int round)
    {
        await MixedTraffic.SendRoundAsync(gateway, round);
        for (var i = 0; i < 2; i++)
        {
            (await gateway.Client.PostAsync("/gemini/v1beta/models/gemini-2.5-flash:generateContent", new StringContent("{}"))).Dispose();
        }
    }

    internal static IEnumerable<string> DashboardExpressions()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "compose", "grafana", "dashboards", "gateway.json"))).RootElement;
        return dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }

    internal static IEnumerable<string> AlertExpressions() =>
        File.ReadAllLines(Path.Combine(RepoPaths.Root, "compose", "alerts.yml"))
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("expr:", StringComparison.Ordinal))
            .Select(l => l["expr:".Length..].Trim())
            .ToList();
}
