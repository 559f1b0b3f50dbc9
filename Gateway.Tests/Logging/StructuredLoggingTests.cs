using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Proxy.Telemetry;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Logging;

[Collection(IntegrationCollection.Name)]
public sealed class StructuredLoggingTests
{
    [Fact]
    public async Task LevelWarning_KeepsFailedCompletions_DropsSuccessfulOnes()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        upstream.Given(Request.Create().WithPath("/v1/chat/completions")).RespondWith(Response.Create().WithStatusCode(500).WithBody("{}"));
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = upstream.Url + "/", ["openai"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["GATEWAY_LOG_LEVEL"] = "WARNING" });

        (await gateway.Client.PostAsync("/anthropic/v1/messages", new StringContent("{}", Encoding.UTF8, "application/json"))).Dispose();
        (await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}", Encoding.UTF8, "application/json"))).Dispose();
        var failed = await gateway.Logs.WaitForEventAsync("generation_failed");

        Assert.Equal("WARNING", failed.GetProperty("level").GetString());
        Assert.Equal("openai", failed.GetProperty("provider").GetString());
        Assert.Equal("upstream_5xx", failed.GetProperty("error").GetString());
        Assert.Empty(gateway.Logs.Events("generation_success"));
    }

    [Fact]
    public async Task TracingOff_LinesCarryTheClientsTraceId_AndItsTraceContextReachesTheProvider()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url + "/" });
        const string TraceId = "0af7651916cd43dd8448eb211c80319c";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{TraceId}-b7ad6b7169203331-01");
        (await gateway.Client.SendAsync(request)).Dispose();
        var success = await gateway.Logs.WaitForEventAsync("generation_success");

        Assert.Equal(TraceId, success.GetProperty("trace_id").GetString());
        var forwarded = Assert.Single(Assert.Single(upstream.LogEntries).RequestMessage.Headers!["traceparent"]);
        Assert.StartsWith($"00-{TraceId}-", forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletionEvent_InLogFile_HasTheGuideFieldsWithTheRightTypes_AndEveryLineIsJson()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        var logDir = Path.Combine(Path.GetTempPath(), "gateway-logs", Guid.NewGuid().ToString("N"));
        await using (var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["GatewayLogging:File"] = Path.Combine(logDir, "gateway.log") },
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName))))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Correlation-ID", "a1b2c3d4");
            request.Headers.Add("X-Session-ID", "sess-9");
            (await gateway.Client.SendAsync(request)).Dispose();
            await gateway.Logs.WaitForEventAsync("generation_success");
        }

        var lines = File.ReadAllLines(Path.Combine(logDir, "gateway.log"));
        Assert.NotEmpty(lines);
        var events = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(events, e =>
        {
            Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"), e.GetProperty("timestamp").GetString()!);
            Assert.Contains(e.GetProperty("level").GetString(), new[] { "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL" });
            Assert.False(string.IsNullOrEmpty(e.GetProperty("logger").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("event").GetString()));
        });

        var success = events.Single(e => e.GetProperty("event").GetString() == "generation_success");
        Assert.Equal("INFO", success.GetProperty("level").GetString());
        Assert.Equal("anthropic", success.GetProperty("provider").GetString());
        Assert.Equal("claude-sonnet-4-5-20250929", success.GetProperty("model").GetString());
        Assert.Equal(150, success.GetProperty("input_tokens").GetInt64());
        Assert.Equal(800, success.GetProperty("output_tokens").GetInt64());
        Assert.Equal(950, success.GetProperty("total_tokens").GetInt64());
        Assert.Equal(0.01245m, success.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(JsonValueKind.Number, success.GetProperty("latency_ms").ValueKind);
        Assert.Equal(200, success.GetProperty("status").GetInt32());
        Assert.Equal("anthropic", success.GetProperty("route").GetString());
        Assert.Equal("a1b2c3d4", success.GetProperty("correlation_id").GetString());
        Assert.Equal("sess-9", success.GetProperty("session_id").GetString());
        Assert.Matches("^[0-9a-f]{32}$", success.GetProperty("trace_id").GetString()!);
        Assert.Matches("^[0-9a-f]{16}$", success.GetProperty("span_id").GetString()!);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "gateway_started");
        Directory.Delete(logDir, recursive: true);
    }

    [Fact]
    public async Task SecretsInHeaderBodyExceptionAndSpanAttribute_AreRedactedInEveryOutput()
    {
        const string HeaderSecret = "sk-ant-api03-HEADERSECRET0123456789abcdef";
        const string BodySecret = "plain-body-secret-value";
        const string ExceptionSecret = "sk-proj-EXCEPTIONSECRET0123456789abcdef";
        const string SpanSecret = "AKIAIOSFODNN7EXAMPLE";
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
            .WithBody("{\"model\":\"gpt-4o\",\"echo\":\"contact ops@example.com\",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}"));
        var spans = new TracingTests.SpanList();
        var logDir = Path.Combine(Path.GetTempPath(), "gateway-logs", Guid.NewGuid().ToString("N"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["GATEWAY_LOG_REQUESTS"] = "true", ["GatewayLogging:File"] = Path.Combine(logDir, "gateway.log") },
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName).AddInMemoryExporter(spans)),
            map: app => app.MapGet("/boom", (HttpContext context) =>
            {
                System.Diagnostics.Activity.Current?.SetTag("debug.note", "used key " + SpanSecret);
                throw new InvalidOperationException("upstream refused key " + ExceptionSecret);
            }));

        using (var request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/chat/completions")
        {
            Content = new StringContent($"{{\"model\":\"gpt-4o\",\"api_key\":\"{BodySecret}\",\"messages\":[{{\"role\":\"user\",\"content\":\"mail me at jane@example.com\"}}]}}", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.Add("X-Note", "forwarded " + HeaderSecret);
            (await gateway.Client.SendAsync(request)).Dispose();
        }

        using var boom = await gateway.Client.GetAsync("/boom");
        Assert.Equal(500, (int)boom.StatusCode);
        var logged = await gateway.Logs.WaitForEventAsync("request_logged");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (spans.Snapshot().Count(s => s.Source.Name == GatewayTracing.AspNetCoreSourceName) < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        await Task.Delay(400);
        var file = File.ReadAllText(Path.Combine(logDir, "gateway.log"));
        var spanText = string.Join("\n", spans.Snapshot().SelectMany(s => s.Tags.Select(t => t.Key + "=" + t.Value)
            .Concat(s.Events.SelectMany(e => e.Tags.Select(t => t.Key + "=" + t.Value)))));
        var outputs = new Dictionary<string, string> { ["captured log"] = gateway.Logs.AllText, ["log file"] = file, ["spans"] = spanText, ["500 body"] = await boom.Content.ReadAsStringAsync() };
        foreach (var (name, text) in outputs)
        {
            foreach (var secret in new[] { HeaderSecret, BodySecret, ExceptionSecret, SpanSecret, "jane@example.com", "ops@example.com" })
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} found in {name}");
            }
        }

        Assert.True(logged.GetProperty("request_headers").ValueKind == JsonValueKind.Object, logged.ToString());
        Assert.Contains("sk-an...def", logged.GetProperty("request_headers").GetProperty("X-Note").GetString(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED_SECRET]", logged.GetProperty("request_body").GetString(), StringComparison.Ordinal);
        Assert.Contains("[REDACTED_EMAIL]", logged.GetProperty("response_body").GetString(), StringComparison.Ordinal);
        Assert.Contains("sk-pr...def", file, StringComparison.Ordinal);
        Assert.Contains("AKIAI...PLE", spanText, StringComparison.Ordinal);
        Assert.Contains("exception.message=upstream refused key sk-pr...def", spanText, StringComparison.Ordinal);
        Directory.Delete(logDir, recursive: true);
    }
}
