using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Transforms.Credentials;

[Collection(IntegrationCollection.Name)]
public sealed class CredentialInjectionTests
{
    private const string AnthropicKey = "sk-ant-api03-GATEWAYHELDSECRET0123456789";
    private const string OpenAIKey = "sk-proj-GATEWAYHELDSECRET0123456789";
    private const string GeminiKey = "AIzaGATEWAYHELDSECRET0123456789abcdef";

    [Fact]
    public async Task HeldKeys_AreInjected_ClientCredentialsRemoved_KeyNeverLogged()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        var url = upstream.Url! + "/";
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = url, ["openai"] = url, ["gemini"] = url },
            new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = AnthropicKey, ["OPENAI_API_KEY"] = OpenAIKey, ["GEMINI_API_KEY"] = GeminiKey, ["GATEWAY_LOG_LEVEL"] = "DEBUG" });

        await SendAsync(gateway, "/anthropic/v1/messages", ("x-api-key", "client-key"), ("Authorization", "Bearer client-token"));
        await SendAsync(gateway, "/openai/v1/chat/completions", ("Authorization", "Bearer client-token"), ("api-key", "client-azure-key"));
        await SendAsync(gateway, "/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=client-query-key&alt=json", ("x-goog-api-key", "client-goog"));

        var requests = upstream.LogEntries.Select(e => e.RequestMessage).ToList();
        var anthropic = requests.Single(r => r.Path == "/v1/messages").Headers!;
        Assert.Equal(AnthropicKey, anthropic["x-api-key"].Single());
        Assert.False(anthropic.ContainsKey("Authorization"));

        var openai = requests.Single(r => r.Path == "/v1/chat/completions").Headers!;
        Assert.Equal("Bearer " + OpenAIKey, openai["Authorization"].Single());
        Assert.False(openai.ContainsKey("api-key"));

        var gemini = requests.Single(r => r.Path.EndsWith(":generateContent", StringComparison.Ordinal));
        Assert.Equal(GeminiKey, gemini.Headers!["x-goog-api-key"].Single());
        Assert.False(gemini.Query!.ContainsKey("key"));
        Assert.Equal("json", gemini.Query["alt"].Single());

        await gateway.Logs.WaitForEventAsync("generation_success");
        Assert.NotEmpty(gateway.Logs.Lines);
        foreach (var secret in new[] { AnthropicKey, OpenAIKey, GeminiKey, "GATEWAYHELDSECRET" })
        {
            Assert.DoesNotContain(secret, gateway.Logs.AllText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoHeldKey_ClientCredentialPassesThroughUnchanged()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        var url = upstream.Url! + "/";
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = url, ["openai"] = url });

        await SendAsync(gateway, "/anthropic/v1/messages", ("x-api-key", "client-key"));
        await SendAsync(gateway, "/openai/v1/chat/completions", ("Authorization", "Bearer client-token"));

        var requests = upstream.LogEntries.Select(e => e.RequestMessage).ToList();
        Assert.Equal("client-key", requests.Single(r => r.Path == "/v1/messages").Headers!["x-api-key"].Single());
        Assert.Equal("Bearer client-token", requests.Single(r => r.Path == "/v1/chat/completions").Headers!["Authorization"].Single());
    }

    private static async Task SendAsync(GatewayHost gateway, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await gateway.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
    }
}
