using System.Text;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Proxy;

/// <summary>Usage read from proxied bodies shows up, priced exactly, in <c>/metrics/stats</c>.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class CostTrackingTests
{
    [Fact]
    public async Task StreamingAndNonStreaming_AnthropicAndOpenAI_CostAppearsInStats()
    {
        using var anthropic = WireMockServer.Start();
        anthropic.Given(Request.Create().WithPath("/v1/messages").WithBody(b => b != null && !b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        anthropic.Given(Request.Create().WithPath("/v1/messages").WithBody(b => b != null && b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.AnthropicSse));
        using var openai = WireMockServer.Start();
        openai.Given(Request.Create().WithPath("/v1/chat/completions").WithBody(b => b != null && !b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        openai.Given(Request.Create().WithPath("/v1/chat/completions").WithBody(b => b != null && b.Contains("\"include_usage\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.OpenAISse));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = anthropic.Url + "/", ["openai"] = openai.Url + "/" });

        await PostAsync(gateway, "/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}");
        await PostAsync(gateway, "/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"messages\":[]}");
        await PostAsync(gateway, "/openai/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}");

        // The client did not ask for stream usage: the gateway asks, reads it, and keeps it out of the client's stream.
        var streamed = await PostAsync(gateway, "/openai/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[]}");
        Assert.DoesNotContain("prompt_tokens", streamed, StringComparison.Ordinal);
        Assert.Contains("\"include_usage\":true", openai.LogEntries.Last().RequestMessage.Body, StringComparison.Ordinal);

        var stats = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement;
        var cost = stats.GetProperty("cost_tracking");

        // 0.01245 (guide example) + 0.001365 (cache read/writes) + 0.00472 (gpt-4o cached) + 0.000525 (gpt-4o-mini stream)
        Assert.Equal(0.01906m, cost.GetProperty("total_cost_usd").GetDecimal());
        Assert.Equal(4, cost.GetProperty("requests_tracked").GetInt64());
        Assert.Equal(150 + 2125 + 1200 + 2000, cost.GetProperty("total_input_tokens").GetInt64());
        Assert.Equal(800 + 15 + 300 + 500, cost.GetProperty("total_output_tokens").GetInt64());
        Assert.Equal(0.013815m, cost.GetProperty("cost_by_model").GetProperty("claude-sonnet-4-5").GetDecimal());
        Assert.Equal(0.00472m, cost.GetProperty("cost_by_model").GetProperty("gpt-4o").GetDecimal());
        Assert.Equal(0.000525m, cost.GetProperty("cost_by_model").GetProperty("gpt-4o-mini").GetDecimal());
        Assert.Equal(0.013815m, cost.GetProperty("cost_by_provider").GetProperty("anthropic").GetDecimal());
        Assert.Equal(0.005245m, cost.GetProperty("cost_by_provider").GetProperty("openai").GetDecimal());
        Assert.Equal(0.004765m, cost.GetProperty("average_cost_per_request").GetDecimal());
        Assert.Equal(4, stats.GetProperty("requests").GetProperty("success").GetInt64());
    }

    [Fact]
    public async Task UnknownModel_IsUnpriced_NotZero_AndWarnedOnce()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/chat/completions"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("{\"model\":\"acme-llm-7b\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url + "/" });

        await PostAsync(gateway, "/openai/v1/chat/completions", "{}");
        await PostAsync(gateway, "/openai/v1/chat/completions", "{}");

        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(0, cost.GetProperty("requests_tracked").GetInt64());
        Assert.Equal(2, cost.GetProperty("unpriced_requests").GetInt64());
        Assert.Equal(30, cost.GetProperty("total_tokens").GetInt64());
        var success = await gateway.Logs.WaitForEventAsync("generation_success");
        Assert.Equal(JsonValueKind.Null, success.GetProperty("cost_usd").ValueKind);
        Assert.Single(gateway.Logs.Events("unpriced_model"));
    }

    [Fact]
    public async Task PricingOverrideFromConfiguration_PricesCustomModel()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/chat/completions"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json")
                .WithBody("{\"model\":\"my-custom-model\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":1000}}"));
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["Pricing:Overrides:my-custom-model:Input"] = "5.00", ["Pricing:Overrides:my-custom-model:Output"] = "20.00" });

        await PostAsync(gateway, "/openai/v1/chat/completions", "{}");

        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(0.025m, cost.GetProperty("total_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task MockProvider_AnswersOffline_WithPricedUsage()
    {
        await using var gateway = await GatewayHost.StartAsync();

        var json = await PostAsync(gateway, "/mock/v1/messages", "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}");
        var sse = await PostAsync(gateway, "/mock/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

        Assert.Contains("\"usage\"", json, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", sse, StringComparison.Ordinal);
        Assert.DoesNotContain("prompt_tokens", sse, StringComparison.Ordinal);
        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(2, cost.GetProperty("requests_tracked").GetInt64());
        Assert.True(cost.GetProperty("total_cost_usd").GetDecimal() > 0);
    }

    private static async Task<string> PostAsync(GatewayHost gateway, string path, string body)
    {
        using var response = await gateway.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsStringAsync();
    }
}
