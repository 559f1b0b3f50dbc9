using System.Text;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Telemetry;

/// <summary>A known mix of requests: successes in every shape, an upstream error, an unpriced model, sessions.</summary>
internal static class MixedTraffic
{
    public static WireMockServer StartUpstream()
    {
        var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages").WithBody(b => b != null && !b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        upstream.Given(Request.Create().WithPath("/v1/messages").WithBody(b => b != null && b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.AnthropicSse));
        upstream.Given(Request.Create().WithPath("/v1/chat/completions"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        upstream.Given(Request.Create().WithPath("/v1/embeddings"))
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "application/json").WithBody("{\"error\":{\"message\":\"boom\"}}"));
        upstream.Given(Request.Create().WithPath("/v1/completions"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody("{\"model\":\"acme-7b\",\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}"));
        return upstream;
    }

    public static Dictionary<string, string> Routes(WireMockServer upstream) =>
        new() { ["anthropic"] = upstream.Url + "/", ["openai"] = upstream.Url + "/" };

    /// <summary>Sends one round: 2 Anthropic (JSON + SSE), 1 OpenAI, 1 failing, 1 unpriced = 5 requests.</summary>
    public static async Task SendRoundAsync(GatewayHost gateway, int round)
    {
        await SendAsync(gateway, "/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\"}", "session-a");
        await SendAsync(gateway, "/anthropic/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true}", "session-b");
        await SendAsync(gateway, "/openai/v1/chat/completions", "{\"model\":\"gpt-4o\"}", "session-" + round);
        await SendAsync(gateway, "/openai/v1/embeddings", "{}", null);
        await SendAsync(gateway, "/openai/v1/completions", "{}", null);
    }

    private static async Task SendAsync(GatewayHost gateway, string path, string body, string? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (session is not null)
        {
            request.Headers.Add("X-Session-ID", session);
        }

        using var response = await gateway.Client.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
    }
}
