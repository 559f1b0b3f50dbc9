using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Gateway.Proxy.Telemetry;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Fallback;

[Collection(IntegrationCollection.Name)]
public sealed class FallbackTests
{
    private const string Body = "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";

    private static readonly Dictionary<string, string?> Aws = new()
    {
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ["AWS_REGION"] = "us-east-1",
        ["ANTHROPIC_API_KEY"] = "sk-ant-api03-held-by-gateway",
    };

    [Fact]
    public async Task Primary503_FallbackToBedrock_ServesAnthropicShape_WithMetricsSpansAndLogs()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithStatusCode(503).WithBody("{\"type\":\"error\"}"));
        using var bedrock = Bedrock();
        var spans = new TracingTests.SpanList();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Aws,
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName).AddInMemoryExporter(spans)));

        using var response = await PostAsync(gateway, "fb-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ProviderBodies.AnthropicJson, await response.Content.ReadAsStringAsync());
        var seen = Assert.Single(bedrock.LogEntries).RequestMessage;
        Assert.Contains("us.anthropic.claude-sonnet-4-5-20250929-v1", seen.Path, StringComparison.Ordinal);
        Assert.EndsWith("/invoke", seen.Path, StringComparison.Ordinal);
        var sent = JsonDocument.Parse(seen.Body!).RootElement;
        Assert.Equal("bedrock-2023-05-31", sent.GetProperty("anthropic_version").GetString());
        Assert.False(sent.TryGetProperty("model", out _));
        Assert.Equal(100, sent.GetProperty("max_tokens").GetInt32());
        var authorization = seen.Headers!["Authorization"].Single();
        var date = seen.Headers["X-Amz-Date"].Single();
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{date[..8]}/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=", authorization, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(seen.BodyAsBytes!)), seen.Headers["X-Amz-Content-Sha256"].Single());
        Assert.False(seen.Headers.ContainsKey("x-api-key"));

        var metrics = await gateway.Client.GetStringAsync("/metrics");
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_fallback_triggered_total", "fallback_provider=\"bedrock\""));
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_fallback_success_total", "provider=\"anthropic\""));
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_provider_duration_seconds_count", "attempt=\"2\""));
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_requests_success_total", "provider=\"bedrock\""));

        var failed = await gateway.Logs.WaitForEventAsync("provider_failed_fallback");
        Assert.Equal("anthropic", failed.GetProperty("provider").GetString());
        Assert.Equal(1, failed.GetProperty("attempt").GetInt32());
        Assert.Equal("upstream_5xx", failed.GetProperty("error").GetString());
        Assert.Equal("fb-1", failed.GetProperty("correlation_id").GetString());
        var success = await gateway.Logs.WaitForEventAsync("fallback_success");
        Assert.Equal("bedrock", success.GetProperty("provider").GetString());
        Assert.Equal("fb-1", success.GetProperty("correlation_id").GetString());

        var attempt1 = spans.Snapshot().Single(s => s.DisplayName == "provider_attempt_1");
        var attempt2 = spans.Snapshot().Single(s => s.DisplayName == "provider_attempt_2");
        Assert.Equal("anthropic", attempt1.GetTagItem("provider"));
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, attempt1.Status);
        Assert.Equal("bedrock", attempt2.GetTagItem("provider"));
        Assert.Equal(attempt1.ParentSpanId, attempt2.ParentSpanId);

        // Bedrock regional endpoint: (150×3 + 800×15) × 1.1 per 1M.
        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(0.013695m, cost.GetProperty("cost_by_provider").GetProperty("bedrock").GetDecimal());
    }

    [Fact]
    public async Task PrimaryRefusesConnections_FallbackServes()
    {
        using var refusing = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var bedrock = Bedrock();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = $"http://127.0.0.1:{((IPEndPoint)refusing.LocalEndPoint!).Port}/", ["bedrock"] = bedrock.Url + "/" }, Aws);

        using var response = await PostAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(bedrock.LogEntries);
        Assert.Equal("connection_error", (await gateway.Logs.WaitForEventAsync("provider_failed_fallback")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task PrimaryTimesOut_FallbackServes()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(10)).WithBody("late"));
        using var bedrock = Bedrock();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Aws,
            editRoutes: r => r["ReverseProxy"]!["Clusters"]!["anthropic"]!["HttpRequest"]!["ActivityTimeout"] = "00:00:01");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var response = await PostAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), clock.Elapsed.ToString());
        Assert.Equal("timeout", (await gateway.Logs.WaitForEventAsync("provider_failed_fallback")).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Primary429WithRetryAfter30_NextRequestsSkipPrimaryUntilItExpires()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithBody("{}"));
        using var bedrock = Bedrock();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Aws,
            services: s => s.AddSingleton<TimeProvider>(clock));

        for (var i = 0; i < 4; i++)
        {
            using var response = await PostAsync(gateway);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(anthropic.LogEntries);
        Assert.Equal(4, bedrock.LogEntries.Count());
        var changed = await gateway.Logs.WaitForEventAsync("provider_health_changed");
        Assert.Equal("unhealthy", changed.GetProperty("to").GetString());

        clock.Advance(TimeSpan.FromSeconds(31));
        await Task.Delay(300);
        using var after = await PostAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal(2, anthropic.LogEntries.Count());
    }

    [Fact]
    public async Task PrimaryDropsMidStream_NoRetry_StreamEnds_FailureCounted()
    {
        await using var anthropic = await SseUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var events = ProviderBodies.AnthropicSse.Split("\n\n");
            await context.Response.WriteAsync(events[0] + "\n\n" + events[1] + "\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(200);
            context.Abort();
        });
        using var bedrock = Bedrock();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = anthropic.Url, ["bedrock"] = bedrock.Url + "/" }, Aws);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent(Body.Replace("\"max_tokens\"", "\"stream\":true,\"max_tokens\"", StringComparison.Ordinal)) };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var received = new MemoryStream();
        try
        {
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(received);
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        Assert.Contains("message_start", Encoding.UTF8.GetString(received.ToArray()), StringComparison.Ordinal);
        Assert.Empty(bedrock.LogEntries);
        await gateway.Logs.WaitForEventAsync("generation_failed");
        var metrics = await gateway.Client.GetStringAsync("/metrics");
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_requests_failed_total", "error_type=\"upstream_stream_error\""));
        var partial = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(1, partial.GetProperty("partial_usage_records").GetInt64());
    }

    [Fact]
    public async Task AnthropicSdkStreaming_ServedByBedrockFallback_GetsCompleteMessageAndUsage()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithStatusCode(529).WithBody("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"));
        using var bedrock = Bedrock();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Aws);

        var client = new AnthropicClient(new ClientOptions { ApiKey = "sk-ant-client", BaseUrl = new Uri(gateway.BaseAddress, "/anthropic").ToString(), MaxRetries = 0 });
        using var chat = client.AsIChatClient("claude-sonnet-4-5-20250929");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync("Hello"))
        {
            updates.Add(update);
        }

        var message = updates.ToChatResponse();
        Assert.Equal("Hello from Bedrock", message.Text);
        Assert.Equal(30, message.Usage?.OutputTokenCount);
        Assert.EndsWith("/invoke-with-response-stream", Assert.Single(bedrock.LogEntries).RequestMessage.Path, StringComparison.Ordinal);
        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(20 + 100, cost.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(30, cost.GetProperty("total_output_tokens").GetInt64());
    }

    [Fact]
    public async Task BedrockRoute_NativeConverseRequest_IsSignedAndCosted()
    {
        using var bedrock = WireMockServer.Start();
        bedrock.Given(Request.Create().WithPath(new RegexMatcher("^/model/.+/converse$")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.BedrockConverseJson));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["bedrock"] = bedrock.Url + "/" }, Aws);

        using var response = await gateway.Client.PostAsync("/bedrock/model/anthropic.claude-3-haiku-20240307-v1:0/converse",
            new StringContent("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}]}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", Assert.Single(bedrock.LogEntries).RequestMessage.Headers!["Authorization"].Single(), StringComparison.Ordinal);

        // claude-3-haiku on Bedrock: 300×0.25 + 400×0.03 + 100×0.30 + 100×1.25 = 242 per 1M.
        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(0.000242m, cost.GetProperty("total_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task ConsecutiveServerErrors_MarkProviderUnhealthy_ThenRequestsAreRefusedWithoutTouchingIt()
    {
        using var openai = WireMockServer.Start();
        openai.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(500).WithBody("{}"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = openai.Url + "/" });

        for (var i = 0; i < 3; i++)
        {
            using var failing = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}"));
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }

        // The passive check runs after the response has gone out: wait until it has marked the destination.
        var until = DateTime.UtcNow.AddSeconds(5);
        while (JsonDocument.Parse(await gateway.Client.GetStringAsync("/health/ready")).RootElement.GetProperty("providers").GetProperty("openai").GetProperty("available").GetBoolean()
            && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        using var refused = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("correlation_id", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, openai.LogEntries.Count());

        var ready = JsonDocument.Parse(await gateway.Client.GetStringAsync("/health/ready")).RootElement;
        Assert.Equal("degraded", ready.GetProperty("status").GetString());
        Assert.False(ready.GetProperty("providers").GetProperty("openai").GetProperty("available").GetBoolean());
        var metrics = await gateway.Client.GetStringAsync("/metrics");
        Assert.Contains("gateway_provider_health{otel_scope_name=\"Gateway\",destination=\"primary\",provider=\"openai\"} 0", metrics, StringComparison.Ordinal);
        var changed = await gateway.Logs.WaitForEventAsync("provider_health_changed");
        Assert.Equal("openai", changed.GetProperty("provider").GetString());
        var stats = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement;
        Assert.False(stats.GetProperty("provider_health").GetProperty("openai/primary").GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task BodyOverLimit_Gets413Json()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["Gateway:MaxRequestBodyBytes"] = "1000" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mock/v1/messages") { Content = new StringContent(new string('x', 2000)) };
        request.Headers.Add("X-Correlation-ID", "too-big");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("too-big", json.GetProperty("correlation_id").GetString());
        Assert.Contains("1000", json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static WireMockServer Bedrock()
    {
        var bedrock = WireMockServer.Start();
        bedrock.Given(Request.Create().WithPath(new RegexMatcher("^/model/.+/invoke$")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        bedrock.Given(Request.Create().WithPath(new RegexMatcher("^/model/.+/invoke-with-response-stream$")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/vnd.amazon.eventstream").WithBody(EventStreamEncoder.ClaudeStream()));
        return bedrock;
    }

    private static async Task<HttpResponseMessage> PostAsync(GatewayHost gateway, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("anthropic-version", "2023-06-01");
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-ID", correlationId);
        }

        return await gateway.Client.SendAsync(request);
    }
}
