using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Access;

[Collection(IntegrationCollection.Name)]
public sealed class AccessTests
{
    private const string AnthropicKey = "sk-ant-api03-PROVIDERKEY-anthropic-0123456789";
    private const string OpenAIKey = "sk-proj-PROVIDERKEY-openai-0123456789abcdef";
    private const string TeamA = "gk-team-a-0123456789abcdef";

    [Fact]
    public async Task GatewayKeys_OfficialSdksSucceed_WrongKey401_KeysNeverCrossOver()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        upstream.Given(Request.Create().WithPath("/v1/chat/completions")).RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.OpenAIJson));
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = upstream.Url + "/", ["openai"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = AnthropicKey, ["OPENAI_API_KEY"] = OpenAIKey, ["GATEWAY_API_KEYS"] = $"team-a:{TeamA},team-b:gk-team-b-xyz0123456789" });

        using var anthropic = new AnthropicClient(new ClientOptions { ApiKey = TeamA, BaseUrl = new Uri(gateway.BaseAddress, "/anthropic").ToString(), MaxRetries = 0 }).AsIChatClient("claude-sonnet-4-5-20250929");
        Assert.Equal("Hi! My name is Claude.", (await anthropic.GetResponseAsync("Hello")).Text);
        var openai = new ChatClient("gpt-4o", new ApiKeyCredential(TeamA), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "/openai/v1") });
        ChatCompletion completion = await openai.CompleteChatAsync([new UserChatMessage("Hello")]);
        Assert.Equal("Hello! How can I assist you today?", completion.Content[0].Text);

        using var wrong = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{}") };
        wrong.Headers.Add("x-api-key", "gk-not-a-key");
        wrong.Headers.Add("X-Correlation-ID", "wrong-key");
        using var refused = await gateway.Client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("wrong-key", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("correlation_id").GetString());
        using var missing = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(2, upstream.LogEntries.Count());

        foreach (var entry in upstream.LogEntries)
        {
            var headers = string.Join("\n", entry.RequestMessage.Headers!.Select(h => h.Key + ": " + string.Join(",", h.Value)));
            Assert.DoesNotContain("gk-team", headers, StringComparison.Ordinal);
            Assert.DoesNotContain("gk-team", entry.RequestMessage.Url, StringComparison.Ordinal);
        }

        Assert.Equal(AnthropicKey, upstream.LogEntries.First(e => e.RequestMessage.Path == "/v1/messages").RequestMessage.Headers!["x-api-key"].Single());
        Assert.Equal("Bearer " + OpenAIKey, upstream.LogEntries.First(e => e.RequestMessage.Path == "/v1/chat/completions").RequestMessage.Headers!["Authorization"].Single());
        var success = await gateway.Logs.WaitForEventAsync("generation_success");
        Assert.Equal("team-a", success.GetProperty("client_id").GetString());
        Assert.DoesNotContain(TeamA, gateway.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("PROVIDERKEY", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyWithAllowedRoutes_OtherRoute403_KeysFileReloads_PerKeyLimitUsesName()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithBody("{}"));
        var dir = Path.Combine(Path.GetTempPath(), "gateway-keys", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, "keys.json");
        await File.WriteAllTextAsync(file, """[{"name":"search","key":"gk-search-000000","routes":["openai"],"rateLimit":"2/minute"}]""");
        // A fixed clock: the 2/minute window must not roll over between the requests below.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["openai"] = upstream.Url + "/", ["anthropic"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["Gateway:KeysFile"] = file },
            services: s => s.AddSingleton<TimeProvider>(clock));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/openai/v1/embeddings", "gk-search-000000")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(gateway, "/anthropic/v1/messages", "gk-search-000000")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, "/openai/v1/embeddings", "gk-search-000000")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SendAsync(gateway, "/openai/v1/embeddings", "gk-search-000000")).StatusCode);
        Assert.Contains("client_id=\"search\"", await gateway.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(gateway, "/openai/v1/embeddings", "gk-new-1111111")).StatusCode);
        await File.WriteAllTextAsync(file, """[{"name":"search","key":"gk-search-000000"},{"name":"new","key":"gk-new-1111111"}]""");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(200);
            status = (await SendAsync(gateway, "/openai/v1/embeddings", "gk-new-1111111")).StatusCode;
        }
        while (status == HttpStatusCode.Unauthorized && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task NoGatewayKeys_ProviderKeysHeld_RemoteClientRefused_LoopbackServed()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = OpenAIKey });

        using var local = await gateway.Client.PostAsync("/mock/v1/messages", new StringContent("{\"max_tokens\":5,\"messages\":[]}"));
        using var remoteClient = ClientFrom(IPAddress.Parse("127.0.0.2"), gateway.BaseAddress);
        using var remote = await remoteClient.PostAsync("/mock/v1/messages", new StringContent("{\"max_tokens\":5,\"messages\":[]}"));

        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remote.StatusCode);
        Assert.Contains("correlation_id", await remote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(gateway.Logs.Events("access_local_only"));

        // Health stays reachable for the load balancer.
        using var health = await remoteClient.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task NoProviderKeys_RemoteClientsServed()
    {
        await using var gateway = await GatewayHost.StartAsync();
        using var remoteClient = ClientFrom(IPAddress.Parse("127.0.0.2"), gateway.BaseAddress);

        using var response = await remoteClient.PostAsync("/mock/v1/messages", new StringContent("{\"max_tokens\":5,\"messages\":[]}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MetricsToken_RequiredOnMetricsAndStats_WhenConfigured()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["GATEWAY_METRICS_TOKEN"] = "scrape-secret" });

        foreach (var path in new[] { "/metrics", "/metrics/stats" })
        {
            using var without = await gateway.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Authorization", "Bearer scrape-secret");
            using var with = await gateway.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        }
    }

    internal static HttpClient ClientFrom(IPAddress local, Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }

    private static async Task<HttpResponseMessage> SendAsync(GatewayHost gateway, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
        return await gateway.Client.SendAsync(request);
    }
}
