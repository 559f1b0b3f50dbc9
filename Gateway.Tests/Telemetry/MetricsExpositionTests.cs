using System.Globalization;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Telemetry;

[Collection(IntegrationCollection.Name)]
public sealed class MetricsExpositionTests
{
    /// <summary>The guide's section 2 names that known traffic must produce (fallback, rate-limit and health-probe ones are asserted with their features).</summary>
    private static readonly string[] GuideNames =
    [
        "gateway_requests_total", "gateway_requests_success_total", "gateway_requests_failed_total",
        "gateway_request_duration_seconds", "gateway_provider_duration_seconds",
        "gateway_tokens_consumed_total", "gateway_tokens_per_request",
        "gateway_cost_total_usd", "gateway_cost_per_request_usd",
        "gateway_active_requests", "gateway_provider_health", "gateway_unique_sessions",
        "gateway_request_size_bytes", "gateway_response_size_bytes",
        "gateway_time_to_first_token_seconds", "gen_ai_client_token_usage", "gen_ai_client_operation_duration_seconds",
    ];

    [Fact]
    public async Task Metrics_AfterKnownTraffic_HaveGuideNamesAndRightValues()
    {
        using var upstream = MixedTraffic.StartUpstream();
        await using var gateway = await GatewayHost.StartAsync(MixedTraffic.Routes(upstream));
        for (var round = 0; round < 3; round++)
        {
            await MixedTraffic.SendRoundAsync(gateway, round);
        }

        var text = await gateway.Client.GetStringAsync("/metrics");
        foreach (var name in GuideNames)
        {
            Assert.Matches(new Regex($"^# TYPE {Regex.Escape(name)} ", RegexOptions.Multiline), text);
        }

        Assert.Equal(15, Sum(text, "gateway_requests_total"));
        Assert.Equal(12, Sum(text, "gateway_requests_success_total"));
        Assert.Equal(3, Sum(text, "gateway_requests_failed_total"));
        Assert.Equal(3, Sum(text, "gateway_requests_failed_total", "error_type=\"upstream_5xx\""));
        Assert.Equal(6, Sum(text, "gateway_requests_total", "model=\"claude-sonnet-4-5\""));
        Assert.Equal(3, Sum(text, "gateway_requests_total", "model=\"other\""));
        Assert.Equal(3, Sum(text, "gateway_requests_total", "status=\"500\""));

        // Tokens: per round 150+2125 (Anthropic) + 1200 (OpenAI) + 7 (unpriced) input; 800+15+300+3 output.
        Assert.Equal(3 * (150 + 2125 + 1200 + 7), Sum(text, "gateway_tokens_consumed_total", "type=\"input\""));
        Assert.Equal(3 * (800 + 15 + 300 + 3), Sum(text, "gateway_tokens_consumed_total", "type=\"output\""));
        Assert.Equal(3 * (2000 + 1024), Sum(text, "gateway_tokens_consumed_total", "type=\"cache_read\""));

        // Cost: per round 0.01245 + 0.001365 + 0.00472.
        Assert.Equal(3 * (0.01245 + 0.001365), Sum(text, "gateway_cost_total_usd", "model=\"claude-sonnet-4-5\""), 9);
        Assert.Equal(3 * 0.00472, Sum(text, "gateway_cost_total_usd", "model=\"gpt-4o\""), 9);
        Assert.Equal(9, Sum(text, "gateway_cost_per_request_usd_count"));
        Assert.Equal(3, Sum(text, "gateway_unpriced_requests_total"));

        Assert.Equal(15, Sum(text, "gateway_request_duration_seconds_count"));
        Assert.Equal(3, Sum(text, "gateway_time_to_first_token_seconds_count"));
        Assert.Equal(5, Sum(text, "gateway_unique_sessions"));
        Assert.Equal(0, Sum(text, "gateway_active_requests"));

        // Bounded labels: no correlation or session id ever becomes a label value.
        Assert.DoesNotContain("session-a", text, StringComparison.Ordinal);
        var uuid = new Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        var samples = text.Split('\n').Where(l => !l.StartsWith('#') && !l.StartsWith("target_info", StringComparison.Ordinal));
        Assert.DoesNotContain(samples, l => uuid.IsMatch(l));
    }

    [Fact]
    public async Task Metrics_OpenMetricsFormat_KeepsTheGuideNames()
    {
        using var upstream = MixedTraffic.StartUpstream();
        await using var gateway = await GatewayHost.StartAsync(MixedTraffic.Routes(upstream));
        await MixedTraffic.SendRoundAsync(gateway, 0);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");

        using var response = await gateway.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.StartsWith("application/openmetrics-text", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", text, StringComparison.Ordinal);
        foreach (var name in GuideNames)
        {
            Assert.Matches(new Regex($"^{Regex.Escape(name)}(_bucket|_count|_sum)?\\{{", RegexOptions.Multiline), text);
        }
    }

    [Fact]
    public async Task Metrics_PassPromtoolCheck_AfterMixedTraffic()
    {
        using var upstream = MixedTraffic.StartUpstream();
        await using var gateway = await GatewayHost.StartAsync(MixedTraffic.Routes(upstream));
        await MixedTraffic.SendRoundAsync(gateway, 0);
        var file = Path.Combine(gateway.Directory, "metrics.txt");
        await File.WriteAllTextAsync(file, await gateway.Client.GetStringAsync("/metrics"));

        var (exit, output) = await ExternalTool.RunAsync("bash", $"-c \"promtool check metrics < '{file}'\"");

        Assert.True(exit == 0, output);
    }

    internal static double Sum(string exposition, string sample, string? labelFilter = null)
    {
        var total = 0.0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(sample + "{", StringComparison.Ordinal) || line.StartsWith(sample + " ", StringComparison.Ordinal))
            {
                if (labelFilter is null || line.Contains(labelFilter, StringComparison.Ordinal))
                {
                    total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }
        }

        return total;
    }
}
