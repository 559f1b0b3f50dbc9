using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Proxy.RateLimiting;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.RateLimiting;

[Collection(IntegrationCollection.Name)]
public sealed class RateLimitTests
{
    [Fact]
    public async Task Limit5PerMinute_SixthGetsFull429Contract_PassesAgainAfterWindow()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "5/minute" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        for (var i = 0; i < 5; i++)
        {
            using var ok = await MockAsync(gateway);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("5", ok.Headers.GetValues("X-RateLimit-Limit").Single());
            Assert.Equal((4 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), ok.Headers.GetValues("X-RateLimit-Remaining").Single());
        }

        using var limited = await MockAsync(gateway, correlationId: "rl-6");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("50", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal("5", limited.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("50", limited.Headers.GetValues("X-RateLimit-Reset").Single());
        Assert.Equal("rl-6", limited.Headers.GetValues("X-Correlation-ID").Single());
        var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Rate limit exceeded", body.GetProperty("detail").GetString());
        Assert.Equal("rl-6", body.GetProperty("correlation_id").GetString());
        var logged = await gateway.Logs.WaitForEventAsync("rate_limit_exceeded");
        Assert.Equal("/mock/{**rest}", logged.GetProperty("endpoint").GetString());

        clock.Advance(TimeSpan.FromSeconds(51));
        using var again = await MockAsync(gateway);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        var metrics = await gateway.Client.GetStringAsync("/metrics");
        Assert.Equal(1, MetricsExpositionTests.Sum(metrics, "gateway_rate_limit_hits_total", "endpoint=\"/mock/{**rest}\""));
        var stats = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("rate_limiting");
        Assert.Equal(1, stats.GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("hits_by_endpoint").GetProperty("/mock/{**rest}").GetInt64());
        Assert.StartsWith("client-", stats.GetProperty("top_limited_clients")[0].GetProperty("client_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredConcurrent_AgainstLimit100_ExactlyHundredPass()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "100/minute" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using var response = await MockAsync(gateway);
            return response.StatusCode;
        }));

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ClientIdentification_ClientIdBeatsBearerBeatsIp_KeysLimitedSeparately_RawKeyNeverShown()
    {
        const string SecretA = "sk-ant-api03-SECRETKEYAAAAAAAAAAAAAAAA";
        const string SecretB = "sk-ant-api03-SECRETKEYBBBBBBBBBBBBBBBB";
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "2/minute" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        // Two requests with key A use up A's limit; key B still has its own.
        Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway, bearer: SecretA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway, bearer: SecretA)).StatusCode);
        using var limitedA = await MockAsync(gateway, bearer: SecretA);
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway, bearer: SecretB)).StatusCode);

        // X-Client-ID beats the bearer token: same key, new client id, fresh limit.
        Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway, bearer: SecretA, clientId: "team-search")).StatusCode);

        // Without either, the IP is the identity, with its own limit.
        Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway)).StatusCode);

        var metrics = await gateway.Client.GetStringAsync("/metrics");
        var stats = await gateway.Client.GetStringAsync("/metrics/stats");
        foreach (var output in new[] { metrics, stats, gateway.Logs.AllText, await limitedA.Content.ReadAsStringAsync() })
        {
            Assert.DoesNotContain("SECRETKEY", output, StringComparison.Ordinal);
        }

        Assert.Equal(ClientIdentity.Resolve(ContextWith("Bearer " + SecretA, null), []), "key:" + ClientIdentity.Hash(SecretA));
        Assert.Equal("client:team-search", ClientIdentity.Resolve(ContextWith("Bearer " + SecretA, "team-search"), []));
        Assert.StartsWith("ip:", ClientIdentity.Resolve(ContextWith(null, null), []), StringComparison.Ordinal);
    }

    [Fact]
    public void ClientIp_XForwardedFor_OnlyBelievedFromTrustedProxies()
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5");
        context.Request.Headers["X-Forwarded-For"] = "203.0.113.9, 10.0.0.7";

        Assert.Equal("10.0.0.5", ClientIdentity.ClientIp(context, []));
        Assert.Equal("203.0.113.9", ClientIdentity.ClientIp(context, [System.Net.IPNetwork.Parse("10.0.0.0/8")]));
    }

    [Fact]
    public async Task PerRouteLimit_FromRoutesJson_AppliesToThatRouteOnly_AndHotReloads()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            editRoutes: r => r["ReverseProxy"]!["Routes"]!["openai"]!["Metadata"] = new JsonObject { ["RateLimit"] = "2/minute" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var openai = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.PostAsync("/openai/v1/embeddings", new StringContent("{}"));
            openai.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], openai);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway)).StatusCode);
        }

        var routes = JsonNode.Parse(await File.ReadAllTextAsync(gateway.RoutesFile))!;
        routes["ReverseProxy"]!["Routes"]!["openai"]!["Metadata"]!["RateLimit"] = "50/minute";
        await gateway.RewriteRoutesAsync(routes.ToJsonString(), "config_reloaded");
        using var afterEdit = await gateway.Client.PostAsync("/openai/v1/embeddings", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, afterEdit.StatusCode);
        Assert.Equal("50", afterEdit.Headers.GetValues("X-RateLimit-Limit").Single());

        routes["ReverseProxy"]!["Routes"]!["openai"]!["Metadata"]!["RateLimit"] = "fifty";
        await gateway.RewriteRoutesAsync(routes.ToJsonString(), "config_rejected");
        Assert.Contains(gateway.Logs.Events("config_rejected"), e => e.GetProperty("reason").GetString()!.Contains("Metadata:RateLimit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CustomEndpointLimit_RequireGatewayRateLimit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock), map: app =>
            app.MapGet("/expensive-operation", () => Results.Ok("done")).RequireGatewayRateLimit("1/minute"));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/expensive-operation")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await gateway.Client.GetAsync("/expensive-operation")).StatusCode);
    }

    [Fact]
    public async Task MetricsAndHealth_AreNeverLimited()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "1/minute" });

        for (var i = 0; i < 5; i++)
        {
            foreach (var path in new[] { "/metrics", "/metrics/stats", "/health", "/health/ready" })
            {
                using var response = await gateway.Client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.False(response.Headers.Contains("X-RateLimit-Limit"), path);
            }
        }
    }

    [Fact]
    public async Task MalformedDefault_FailsAtStartupNamingIt()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "100/fortnight" }));

        Assert.Contains("RATE_LIMIT_DEFAULT '100/fortnight'", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_NothingIsLimited()
    {
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?> { ["RATE_LIMIT_ENABLED"] = "false", ["RATE_LIMIT_DEFAULT"] = "1/minute" });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await MockAsync(gateway)).StatusCode);
        }
    }

    [Fact]
    public async Task TokenBudget1000_TwentyConcurrentRequestsOf200Tokens_NotExceeded()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithDelay(TimeSpan.FromMilliseconds(200))
            .WithHeader("Content-Type", "application/json")
            .WithBody("{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":150}}"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            new Dictionary<string, string?> { ["RATE_LIMIT_TOKENS_PER_MINUTE"] = "1000" },
            services: s => s.AddSingleton<TimeProvider>(clock));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            // A prompt whose 50 reported tokens fit in its bytes, as every real tokenizer's do; 150 output tokens = max_tokens.
            using var response = await gateway.Client.PostAsync("/openai/v1/chat/completions",
                new StringContent("{\"model\":\"gpt-4o\",\"max_tokens\":150,\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 60) + "\"}]}", Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));

        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.True(cost.GetProperty("total_tokens").GetInt64() <= 1000, cost.ToString());
        Assert.Equal(cost.GetProperty("total_tokens").GetInt64(), 200 * statuses.Count(s => s == HttpStatusCode.OK));
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(",", statuses));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);

        // Settled with the real usage: after the burst, a new request fits only if the budget really has room.
        clock.Advance(TimeSpan.FromMinutes(1));
        using var next = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{\"max_tokens\":100}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task SharedRedis_TwoInstances_TenPerMinuteInTotal_AndRedisLossKeepsServing()
    {
        using var redis = await RedisServer.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 10, TimeSpan.Zero));
        var settings = new Dictionary<string, string?> { ["RATE_LIMIT_DEFAULT"] = "10/minute", ["RATE_LIMIT_REDIS"] = redis.ConnectionString };
        await using var first = await GatewayHost.StartAsync(settings: settings, services: s => s.AddSingleton<TimeProvider>(clock));
        await using var second = await GatewayHost.StartAsync(settings: settings, services: s => s.AddSingleton<TimeProvider>(clock));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var response = await MockAsync(i % 2 == 0 ? first : second);
            return response.StatusCode;
        }));

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.TooManyRequests));

        redis.Dispose();
        for (var i = 0; i < 3; i++)
        {
            using var response = await MockAsync(first);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Single(first.Logs.Events("rate_limit_store_unavailable"));
        Assert.True(MetricsExpositionTests.Sum(await first.Client.GetStringAsync("/metrics"), "gateway_rate_limit_store_errors_total") >= 3);
    }

    [Fact]
    public async Task SharedRedis_FailClosed_Refuses503WhileUnreachable()
    {
        var port = ExternalTool.FreePort();
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["RATE_LIMIT_REDIS"] = $"127.0.0.1:{port}",
            ["RATE_LIMIT_FAIL_CLOSED"] = "true",
        });

        using var response = await MockAsync(gateway);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("correlation_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static DefaultHttpContext ContextWith(string? authorization, string? clientId)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        if (clientId is not null)
        {
            context.Request.Headers["X-Client-ID"] = clientId;
        }

        return context;
    }

    private static async Task<HttpResponseMessage> MockAsync(GatewayHost gateway, string? bearer = null, string? clientId = null, string? correlationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mock/v1/messages")
        {
            Content = new StringContent("{\"max_tokens\":10,\"messages\":[]}", Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
        }

        if (clientId is not null)
        {
            request.Headers.Add("X-Client-ID", clientId);
        }

        if (correlationId is not null)
        {
            request.Headers.Add("X-Correlation-ID", correlationId);
        }

        return await gateway.Client.SendAsync(request);
    }
}
