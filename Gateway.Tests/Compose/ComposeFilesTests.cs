using Gateway.Tests.Infrastructure;
using Gateway.Tests.Telemetry;

namespace Gateway.Tests.Compose;

/// <summary>The shipped monitoring stack is valid as far as it can be checked without a container engine.</summary>
public sealed class ComposeFilesTests
{
    private static readonly string ComposeDir = Path.Combine(RepoPaths.Root, "compose");

    [Fact]
    public async Task DockerCompose_AcceptsTheComposeFile()
    {
        var (exit, output) = await ExternalTool.RunAsync("docker-compose", "-f docker-compose.yml config", ComposeDir);

        Assert.True(exit == 0, output);
        foreach (var service in new[] { "model-gateway:", "prometheus:", "grafana:", "jaeger:", "filebeat:" })
        {
            Assert.Contains(service, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Promtool_AcceptsConfigAndRules()
    {
        var config = await ExternalTool.RunAsync("promtool", "check config prometheus.yml", ComposeDir);
        var rules = await ExternalTool.RunAsync("promtool", "check rules alerts.yml", ComposeDir);

        Assert.True(config.ExitCode == 0, config.Output);
        Assert.True(rules.ExitCode == 0, rules.Output);
        Assert.Contains("6 rules found", rules.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Dashboard_CoversTheGuidePanels()
    {
        var expressions = string.Join('\n', PrometheusScrapeTests.DashboardExpressions());

        foreach (var metric in new[]
        {
            "gateway_requests_total", "gateway_requests_success_total", "gateway_request_duration_seconds_bucket", "gateway_cost_total_usd",
            "gateway_tokens_consumed_total", "gateway_active_requests", "gateway_provider_health", "gateway_fallback_triggered_total",
            "gateway_rate_limit_hits_total",
        })
        {
            Assert.Contains(metric, expressions, StringComparison.Ordinal);
        }

        foreach (var quantile in new[] { "0.50", "0.95", "0.99" })
        {
            Assert.Contains($"histogram_quantile({quantile}, rate(gateway_request_duration_seconds_bucket[5m]))", expressions, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Filebeat_ReadsTheJsonLogFilesAsInTheGuide()
    {
        var filebeat = File.ReadAllText(Path.Combine(ComposeDir, "filebeat.yml"));

        Assert.Contains("/app/model_gateway/logs/*.log", filebeat, StringComparison.Ordinal);
        Assert.Contains("json.keys_under_root: true", filebeat, StringComparison.Ordinal);
        Assert.Contains("gateway-logs-%{+yyyy.MM.dd}", filebeat, StringComparison.Ordinal);
    }
}
