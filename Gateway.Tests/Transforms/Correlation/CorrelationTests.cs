using Gateway.Tests.Infrastructure;
using Gateway.Transforms.Correlation;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Transforms.Correlation;

[Collection(IntegrationCollection.Name)]
public sealed class CorrelationTests : IAsyncLifetime
{
    private WireMockServer _upstream = null!;
    private GatewayHost _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = WireMockServer.Start();
        _upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        _gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = _upstream.Url! + "/" });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _upstream.Dispose();
    }

    [Fact]
    public async Task GivenIds_AreEchoedAndForwarded()
    {
        using var response = await SendAsync(("X-Correlation-ID", "my-request-123"), ("X-Session-ID", "user-session-456"));

        Assert.Equal("my-request-123", response.Headers.GetValues("X-Correlation-ID").Single());
        Assert.Equal("user-session-456", response.Headers.GetValues("X-Session-ID").Single());
        var seen = Assert.Single(_upstream.LogEntries).RequestMessage.Headers!;
        Assert.Equal("my-request-123", seen["X-Correlation-ID"].Single());
        Assert.Equal("user-session-456", seen["X-Session-ID"].Single());
    }

    [Fact]
    public async Task MissingId_IsCreatedAsUuid_AndForwarded()
    {
        using var response = await SendAsync();

        var id = response.Headers.GetValues("X-Correlation-ID").Single();
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.Equal(id, Assert.Single(_upstream.LogEntries).RequestMessage.Headers!["X-Correlation-ID"].Single());
        Assert.False(response.Headers.Contains("X-Session-ID"));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a/b<script>")]
    [InlineData("semi;colon")]
    public async Task UntrustedId_IsReplaced_NeverReflected(string bad)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/chat/completions") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("X-Correlation-ID", bad);

        using var response = await _gateway.Client.SendAsync(request);

        var id = response.Headers.GetValues("X-Correlation-ID").Single();
        Assert.NotEqual(bad, id);
        Assert.True(Guid.TryParse(id, out _));
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Equal(id, Assert.Single(_upstream.LogEntries).RequestMessage.Headers!["X-Correlation-ID"].Single());
    }

    [Fact]
    public async Task OverlongId_IsReplaced()
    {
        var longId = new string('a', 500);

        using var response = await SendAsync(("X-Correlation-ID", longId));

        Assert.NotEqual(longId, response.Headers.GetValues("X-Correlation-ID").Single());
    }

    [Fact]
    public async Task Ids_AreEchoedOnGatewayErrors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/missing");
        request.Headers.Add("X-Correlation-ID", "err-1");
        request.Headers.Add("X-Session-ID", "s-1");

        using var response = await _gateway.Client.SendAsync(request);

        Assert.Equal("err-1", response.Headers.GetValues("X-Correlation-ID").Single());
        Assert.Equal("s-1", response.Headers.GetValues("X-Session-ID").Single());
    }

    [Fact]
    public async Task Ids_AppearOnTheCompletionLogLine()
    {
        using var response = await SendAsync(("X-Correlation-ID", "log-corr"), ("X-Session-ID", "log-sess"));

        var line = await _gateway.Logs.WaitForEventAsync("generation_success", predicate: e => e.GetProperty("correlation_id").GetString() == "log-corr");
        Assert.Equal("log-sess", line.GetProperty("session_id").GetString());
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("A-z_0.9:x", true)]
    [InlineData("", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    public void IsValid_FollowsTheAllowedAlphabet(string value, bool expected)
    {
        Assert.Equal(expected, CorrelationHeaders.IsValid(value));
    }

    [Theory]
    [InlineData("abc\r\nSet-Cookie: x=1")]
    [InlineData("abc\nx")]
    [InlineData("ünïcode")]
    public async Task Middleware_HeaderWithControlOrNonAsciiBytes_CreatesNewId(string bad)
    {
        // HTTP clients and Kestrel refuse such bytes on the wire; the middleware must not trust them either way.
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers["X-Correlation-ID"] = bad;
        context.Request.Headers["X-Session-ID"] = bad;
        var middleware = new CorrelationMiddleware(_ => Task.CompletedTask, TimeProvider.System);

        await middleware.InvokeAsync(context);

        var feature = context.Features.Get<Gateway.Transforms.Requests.GatewayRequestFeature>()!;
        Assert.True(Guid.TryParse(feature.CorrelationId, out _));
        Assert.Null(feature.SessionId);
    }

    [Fact]
    public void IsValid_128CharactersAllowed_129Not()
    {
        Assert.True(CorrelationHeaders.IsValid(new string('x', 128)));
        Assert.False(CorrelationHeaders.IsValid(new string('x', 129)));
    }

    private async Task<HttpResponseMessage> SendAsync(params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/chat/completions") { Content = new StringContent("{}") };
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await _gateway.Client.SendAsync(request);
    }
}
