using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Telemetry;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Generate;

[Collection(IntegrationCollection.Name)]
public sealed class GenerateEndpointTests
{
    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["ANTHROPIC_API_KEY"] = "sk-ant-held",
        ["OPENAI_API_KEY"] = "sk-openai-held",
        ["GEMINI_API_KEY"] = "AIza-held",
        ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
        ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    };

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "Hi! My name is Claude.", 150, 800, "0.01245")]
    [InlineData("openai", "gpt-4o-2024-08-06", "Hello! How can I assist you today?", 1200, 300, "0.00472")]
    [InlineData("gemini", "gemini-2.5-flash", "Hello there", 1000, 500, "0.001388")]
    [InlineData("bedrock", "claude-sonnet-4-5-20250929", "Hi! My name is Claude.", 150, 800, "0.013695")]
    public async Task Generate_EachProviderAdapter_ReturnsGuideShape(string provider, string model, string content, long input, long output, string cost)
    {
        using var upstream = Upstream();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { [provider] = upstream.Url + "/" }, Keys);

        using var response = await PostAsync(gateway, $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"Hello\"}}],\"provider\":\"{provider}\",\"max_tokens\":100,\"temperature\":0.2,\"system\":\"Be brief\"}}", "gen-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(content, json.GetProperty("content").GetString());
        Assert.Equal(model, json.GetProperty("model").GetString());
        Assert.Equal(provider, json.GetProperty("provider").GetString());
        Assert.Equal(input, json.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(output, json.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(input + output, json.GetProperty("usage").GetProperty("total_tokens").GetInt64());
        Assert.Equal(decimal.Parse(cost, System.Globalization.CultureInfo.InvariantCulture), json.GetProperty("cost_usd").GetDecimal());
        Assert.Equal("gen-1", json.GetProperty("correlation_id").GetString());
        Assert.True(json.GetProperty("latency_ms").GetDouble() >= 0);

        var sent = Assert.Single(upstream.LogEntries).RequestMessage;
        var sentBody = JsonDocument.Parse(sent.Body!).RootElement;
        switch (provider)
        {
            case "anthropic":
                Assert.Equal("sk-ant-held", sent.Headers!["x-api-key"].Single());
                Assert.Equal("Be brief", sentBody.GetProperty("system").GetString());
                break;
            case "openai":
                Assert.Equal("Bearer sk-openai-held", sent.Headers!["Authorization"].Single());
                Assert.Equal("system", sentBody.GetProperty("messages")[0].GetProperty("role").GetString());
                break;
            case "gemini":
                Assert.Equal("AIza-held", sent.Headers!["x-goog-api-key"].Single());
                Assert.Equal(100, sentBody.GetProperty("generationConfig").GetProperty("maxOutputTokens").GetInt32());
                break;
            case "bedrock":
                Assert.StartsWith("AWS4-HMAC-SHA256 ", sent.Headers!["Authorization"].Single(), StringComparison.Ordinal);
                Assert.Equal("bedrock-2023-05-31", sentBody.GetProperty("anthropic_version").GetString());
                break;
        }
    }

    [Fact]
    public async Task Generate_Mock_AnswersOffline()
    {
        await using var gateway = await GatewayHost.StartAsync();

        using var response = await PostAsync(gateway, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"provider\":\"mock\",\"max_tokens\":100}");

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("mock", json.GetProperty("provider").GetString());
        Assert.True(json.GetProperty("cost_usd").GetDecimal() > 0);
    }

    [Fact]
    public async Task Generate_PrimaryFails_FallsBackWithRootAndAttemptSpans()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503).WithBody("{}"));
        using var bedrock = Upstream();
        var spans = new TracingTests.SpanList();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Keys,
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName).AddInMemoryExporter(spans)));

        using var response = await PostAsync(gateway, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100}");

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bedrock", json.GetProperty("provider").GetString());
        Assert.Contains("us.anthropic.claude-sonnet-4-5-20250929-v1", Assert.Single(bedrock.LogEntries).RequestMessage.Path, StringComparison.Ordinal);
        await gateway.Logs.WaitForEventAsync("fallback_success");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!spans.Snapshot().Any(s => s.DisplayName == GatewayTracing.GenerateRequest) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        var root = spans.Snapshot().Single(s => s.DisplayName == GatewayTracing.GenerateRequest);
        var attempts = spans.Snapshot().Where(s => s.DisplayName.StartsWith("provider_attempt_", StringComparison.Ordinal)).OrderBy(s => s.DisplayName).ToList();
        Assert.Equal(["provider_attempt_1", "provider_attempt_2"], attempts.Select(a => a.DisplayName));
        Assert.All(attempts, a => Assert.Equal(root.SpanId, a.ParentSpanId));
        Assert.Equal("anthropic", attempts[0].GetTagItem("provider"));
        Assert.Equal("bedrock", attempts[1].GetTagItem("provider"));
        Assert.Equal("bedrock", root.GetTagItem("provider"));

        // Each provider's parent span is its attempt, as on the proxy routes.
        Assert.All(anthropic.LogEntries, e => Assert.Equal(
            $"00-{root.TraceId.ToHexString()}-{attempts[0].SpanId.ToHexString()}-01", Assert.Single(e.RequestMessage.Headers!["traceparent"])));
        Assert.Equal($"00-{root.TraceId.ToHexString()}-{attempts[1].SpanId.ToHexString()}-01",
            Assert.Single(Assert.Single(bedrock.LogEntries).RequestMessage.Headers!["traceparent"]));
        var metrics = await gateway.Client.GetStringAsync("/metrics");
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_fallback_success_total"));
    }

    [Fact]
    public async Task Generate_StreamTrue_EmitsStartDeltasAndDoneWithUsageAndCost()
    {
        using var openai = WireMockServer.Start();
        openai.Given(Request.Create().WithPath("/v1/chat/completions"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.OpenAISse));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = openai.Url + "/" }, Keys);

        using var response = await PostAsync(gateway, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"provider\":\"openai\",\"max_tokens\":100,\"stream\":true}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("event: start\n", events[0], StringComparison.Ordinal);
        Assert.Equal("event: delta\ndata: {\"content\":\"Hello\"}", events[1]);
        Assert.StartsWith("event: done\ndata: ", events[^1], StringComparison.Ordinal);
        var done = JsonDocument.Parse(events[^1]["event: done\ndata: ".Length..]).RootElement;
        Assert.Equal("Hello", done.GetProperty("content").GetString());
        Assert.Equal(2000, done.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal(500, done.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal(0.000525m, done.GetProperty("cost_usd").GetDecimal());
        Assert.Contains("\"include_usage\":true", Assert.Single(openai.LogEntries).RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_BedrockStream_IsConvertedToUnifiedEvents()
    {
        using var bedrock = Upstream();
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["bedrock"] = bedrock.Url + "/" }, Keys);

        using var response = await PostAsync(gateway, "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"provider\":\"bedrock\",\"max_tokens\":100,\"stream\":true}");
        var text = await response.Content.ReadAsStringAsync();

        var done = JsonDocument.Parse(text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1]["event: done\ndata: ".Length..]).RootElement;
        Assert.Equal("Hello from Bedrock", done.GetProperty("content").GetString());
        Assert.Equal(30, done.GetProperty("usage").GetProperty("output_tokens").GetInt64());
    }

    [Theory]
    [InlineData("{\"max_tokens\":10}", "messages is required")]
    [InlineData("{\"messages\":[],\"max_tokens\":10}", "messages is required")]
    [InlineData("{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}],\"max_tokens\":10}", "messages[0].role")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}],\"max_tokens\":10}", "messages[0].content")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "max_tokens is required")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-5}", "max_tokens is required")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10,\"temperature\":7}", "temperature must be")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10,\"provider\":\"skynet\"}", "provider 'skynet' is not one of")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10,\"stream\":\"yes\"}", "stream must be a boolean")]
    [InlineData("{\"messages\": [", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    public async Task Generate_InvalidRequest_400NamesTheField(string body, string expected)
    {
        await using var gateway = await GatewayHost.StartAsync();

        using var response = await PostAsync(gateway, body, "bad-1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(expected, json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("bad-1", json.GetProperty("correlation_id").GetString());
    }

    [Fact]
    public async Task Generate_ProviderRejects_ReturnsItsStatusAndMessage()
    {
        using var openai = WireMockServer.Start();
        openai.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(400)
            .WithBody("{\"error\":{\"message\":\"Invalid model 'gpt-9'\",\"type\":\"invalid_request_error\"}}"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = openai.Url + "/" });

        using var response = await PostAsync(gateway, "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":10,\"provider\":\"openai\",\"model\":\"gpt-9\"}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid model 'gpt-9'", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_429WithRetryAfterAsHttpDate_PrimarySkippedUntilThatDate()
    {
        using var anthropic = WireMockServer.Start();
        var until = DateTimeOffset.UtcNow.AddSeconds(120);
        anthropic.Given(Request.Create().UsingAnyMethod())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", until.ToString("R", System.Globalization.CultureInfo.InvariantCulture)).WithBody("{}"));
        using var bedrock = Upstream();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["bedrock"] = bedrock.Url + "/" }, Keys,
            services: s => s.AddSingleton<TimeProvider>(clock));
        const string Body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"provider\":\"anthropic\",\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100}";

        using (var first = await PostAsync(gateway, Body))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Past the default 30 s reactivation, still before the date the provider gave: the primary stays out.
        clock.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(300);
        using var second = await PostAsync(gateway, Body);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(anthropic.LogEntries);
        Assert.Equal(2, bedrock.LogEntries.Count());
    }

    private static WireMockServer Upstream()
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        server.Given(Request.Create().WithPath("/v1/chat/completions")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        server.Given(Request.Create().WithPath(new RegexMatcher(":generateContent$"))).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.GeminiJson));
        server.Given(Request.Create().WithPath(new RegexMatcher("^/model/.+/invoke$"))).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        server.Given(Request.Create().WithPath(new RegexMatcher("^/model/.+/invoke-with-response-stream$")))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/vnd.amazon.eventstream").WithBody(EventStreamEncoder.ClaudeStream()));
        return server;
    }

    private static async Task<HttpResponseMessage> PostAsync(GatewayHost gateway, string body, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/generate") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-ID", correlationId);
        }

        return await gateway.Client.SendAsync(request);
    }
}
