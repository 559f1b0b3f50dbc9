using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Proxy;

[Collection(IntegrationCollection.Name)]
public sealed class PassthroughTests
{
    [Fact]
    public async Task Post_AnthropicRoute_ForwardsRequestAndResponseUnchanged()
    {
        using var upstream = WireMockServer.Start();
        var responseBody = Encoding.UTF8.GetBytes("{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"h\u00e9llo \u2603\"}],\"usage\":{\"input_tokens\":10,\"output_tokens\":2}}");
        upstream.Given(Request.Create().WithPath("/v1/messages").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithHeader("X-Upstream", "yes").WithBody(responseBody));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url! + "/" });

        var requestBody = Encoding.UTF8.GetBytes("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"caf\u00e9 \\\"q\\\"\"}]}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages?beta=true&x=1%202") { Content = new ByteArrayContent(requestBody) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("X-Custom", "abc");
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Upstream").Single());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(responseBody, await response.Content.ReadAsByteArrayAsync());

        var seen = Assert.Single(upstream.LogEntries).RequestMessage;
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/v1/messages", seen.Path);
        Assert.Equal("beta=true&x=1%202", seen.RawQuery?.TrimStart('?'));
        Assert.Equal(requestBody, seen.BodyAsBytes);
        Assert.Equal("2023-06-01", seen.Headers!["anthropic-version"].Single());
        Assert.Equal("abc", seen.Headers["X-Custom"].Single());
        Assert.True(seen.Headers.ContainsKey("X-Correlation-ID"));
    }

    [Theory]
    [InlineData(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"bad\"}}")]
    [InlineData(429, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}")]
    [InlineData(500, "upstream exploded")]
    [InlineData(529, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}")]
    public async Task Post_UpstreamError_StatusHeadersAndBodyReachClientUnchanged(int status, string body)
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithHeader("Retry-After", "7").WithBody(body));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url! + "/" });

        using var response = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{\"model\":\"gpt-4o\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
        Assert.True(response.Headers.Contains("X-Correlation-ID"));
    }

    [Fact]
    public async Task Get_WithQueryAndNoBody_ForwardsMethodPathAndQuery()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1beta/models").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("{\"models\":[]}"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["gemini"] = upstream.Url! + "/" });

        using var response = await gateway.Client.GetAsync("/gemini/v1beta/models?pageSize=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(upstream.LogEntries).RequestMessage;
        Assert.Equal("GET", seen.Method);
        Assert.Equal("/v1beta/models", seen.Path);
        Assert.Equal("5", seen.Query!["pageSize"].Single());
    }

    [Fact]
    public async Task Request_AcceptEncoding_IsNotForwardedSoBodiesStayReadable()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url! + "/" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/embeddings") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Assert.Single(upstream.LogEntries).RequestMessage.Headers!.ContainsKey("Accept-Encoding"));
    }

    [Fact]
    public async Task UnknownPath_Returns404JsonWithCorrelationId()
    {
        await using var gateway = await GatewayHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nowhere");
        request.Headers.Add("X-Correlation-ID", "corr-404");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("corr-404", json.GetProperty("correlation_id").GetString());
        Assert.Contains("/nowhere", json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamRefusesConnection_Returns502JsonWithCorrelationId()
    {
        // A bound socket that never listens: connections to it are refused, and no other server can take the port.
        using var refusing = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        refusing.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)refusing.LocalEndPoint!).Port;
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = $"http://127.0.0.1:{port}/" });

        using var response = await gateway.Client.PostAsync("/anthropic/v1/messages", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(response.Headers.GetValues("X-Correlation-ID").Single(), json.GetProperty("correlation_id").GetString());
        Assert.DoesNotContain("   at ", json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_LiveAndReady_AnswerJson()
    {
        await using var gateway = await GatewayHost.StartAsync();

        var live = await gateway.Client.GetStringAsync("/health");
        using var ready = await gateway.Client.GetAsync("/health/ready");

        Assert.Contains("\"ok\"", live, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var json = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ready", json.GetProperty("status").GetString());
        Assert.True(json.GetProperty("providers").GetProperty("mock").GetProperty("available").GetBoolean());
    }
}
