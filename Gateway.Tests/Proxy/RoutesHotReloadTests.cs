using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Proxy;

[Collection(IntegrationCollection.Name)]
public sealed class RoutesHotReloadTests
{
    [Fact]
    public async Task ValidEdit_RepointsRoute_InvalidEditsKeepLastGoodConfig()
    {
        using var first = Upstream("first");
        using var second = Upstream("second");
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = first.Url! + "/" });
        Assert.Equal("first", await CallAsync(gateway));

        var routes = JsonNode.Parse(await File.ReadAllTextAsync(gateway.RoutesFile))!;
        routes["ReverseProxy"]!["Clusters"]!["openai"]!["Destinations"]!["primary"]!["Address"] = second.Url + "/";
        var good = routes.ToJsonString();
        await gateway.RewriteRoutesAsync(good, "config_reloaded");
        Assert.Equal("second", await CallAsync(gateway));

        await gateway.RewriteRoutesAsync(string.Empty, "config_rejected");
        Assert.Equal("second", await CallAsync(gateway));

        await gateway.RewriteRoutesAsync(good[..(good.Length / 2)], "config_rejected");
        Assert.Equal("second", await CallAsync(gateway));

        var dangling = JsonNode.Parse(good)!;
        dangling["ReverseProxy"]!["Routes"]!["openai"]!["ClusterId"] = "nope";
        await gateway.RewriteRoutesAsync(dangling.ToJsonString(), "config_rejected");
        Assert.Equal("second", await CallAsync(gateway));

        var rejected = gateway.Logs.Events("config_rejected");
        Assert.Equal("WARNING", rejected[0].GetProperty("level").GetString());
        Assert.Contains(rejected, e => e.GetProperty("reason").GetString()!.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(rejected, e => e.GetProperty("reason").GetString()!.Contains("ReverseProxy:Routes:openai:ClusterId", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadRoutesAtStartup_FailsNamingTheKey()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(editRoutes: routes =>
            routes["ReverseProxy"]!["Clusters"]!["openai"]!["Destinations"]!["primary"]!["Address"] = "not a url"));

        Assert.Contains("ReverseProxy:Clusters:openai:Destinations:primary:Address", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownProviderMetadata_FailsAtStartup()
    {
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(editRoutes: routes =>
            routes["ReverseProxy"]!["Clusters"]!["openai"]!["Metadata"]!["Provider"] = "openia"));

        Assert.Contains("openia", ex.ToString(), StringComparison.Ordinal);
    }

    private static WireMockServer Upstream(string name)
    {
        var server = WireMockServer.Start();
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody(name));
        return server;
    }

    private static async Task<string> CallAsync(GatewayHost gateway)
    {
        using var response = await gateway.Client.PostAsync("/openai/v1/embeddings", new StringContent("{}"));
        return await response.Content.ReadAsStringAsync();
    }
}
