using System.ClientModel;
using Anthropic;
using Anthropic.Core;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Proxy;

/// <summary>The official SDKs, pointed at the gateway's base URLs, work unchanged.</summary>
[Collection(IntegrationCollection.Name)]
public sealed class SdkCompatibilityTests
{
    [Fact]
    public async Task AnthropicSdk_NonStreamingAndStreaming_CompleteThroughGateway()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages").UsingPost().WithBody(b => b != null && !b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        upstream.Given(Request.Create().WithPath("/v1/messages").UsingPost().WithBody(b => b != null && b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.AnthropicSse));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url! + "/" });

        var client = new AnthropicClient(new ClientOptions { ApiKey = "sk-ant-client", BaseUrl = new Uri(gateway.BaseAddress, "/anthropic").ToString(), MaxRetries = 0 });
        using var chat = client.AsIChatClient("claude-sonnet-4-5-20250929");

        var response = await chat.GetResponseAsync("Hello");
        Assert.Equal("Hi! My name is Claude.", response.Text);
        Assert.Equal(150, response.Usage?.InputTokenCount);

        var streamed = string.Empty;
        await foreach (var update in chat.GetStreamingResponseAsync("Hello"))
        {
            streamed += update.Text;
        }

        Assert.Equal("Hello!", streamed);
        Assert.Equal(2, upstream.LogEntries.Count());
    }

    [Fact]
    public async Task OpenAISdk_NonStreamingAndStreaming_CompleteThroughGateway()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost().WithBody(b => b != null && !b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        upstream.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost().WithBody(b => b != null && b.Contains("\"stream\":true", StringComparison.Ordinal)))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/event-stream").WithBody(ProviderBodies.OpenAISse));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url! + "/" });

        var client = new ChatClient("gpt-4o", new ApiKeyCredential("sk-client"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "/openai/v1") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Hello")]);
        Assert.Equal("Hello! How can I assist you today?", completion.Content[0].Text);
        Assert.Equal(1200, completion.Usage.InputTokenCount);

        var streamed = string.Empty;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed += part.Text;
            }
        }

        Assert.Equal("Hello", streamed);
    }
}
