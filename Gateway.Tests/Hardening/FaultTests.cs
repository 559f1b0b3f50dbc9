using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Hardening;

[Collection(IntegrationCollection.Name)]
public sealed class FaultTests
{
    [Fact]
    public async Task UpstreamTimeout_NoFallback_Returns504Json()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithDelay(TimeSpan.FromSeconds(5)).WithBody("late"));
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            editRoutes: r => r["ReverseProxy"]!["Clusters"]!["openai"]!["HttpRequest"]!["ActivityTimeout"] = "00:00:01");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/openai/v1/chat/completions") { Content = new StringContent("{}") };
        request.Headers.Add("X-Correlation-ID", "slow-1");

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("slow-1", json.GetProperty("correlation_id").GetString());
        Assert.DoesNotContain("   at ", json.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientAbortsStream_UpstreamClosedWithinASecond_PartialUsageRecorded()
    {
        var events = ProviderBodies.AnthropicSse.Split("\n\n");
        await using var upstream = await SseUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(events[0] + "\n\n");
            await context.Response.Body.FlushAsync();
            for (var i = 0; i < 100 && !context.RequestAborted.IsCancellationRequested; i++)
            {
                await context.Response.WriteAsync(events[3] + "\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        });
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url });

        // A client that really goes away: no draining of the rest of the response before closing the socket.
        using var client = new HttpClient(new SocketsHttpHandler { ResponseDrainTimeout = TimeSpan.Zero, MaxResponseDrainSize = 0 }) { BaseAddress = gateway.BaseAddress };
        using (var cts = new CancellationTokenSource())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{\"stream\":true}") };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            Assert.Equal("event: message_start", await reader.ReadLineAsync(cts.Token));
            await cts.CancelAsync();
        }

        var clock = Stopwatch.StartNew();
        var closed = await Task.WhenAny(upstream.ClientGone.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        Assert.Same(upstream.ClientGone.Task, closed);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"upstream closed after {clock.Elapsed}");

        var failed = await gateway.Logs.WaitForEventAsync("generation_failed");
        Assert.Equal("client_aborted", failed.GetProperty("error").GetString());
        Assert.Equal("partial", failed.GetProperty("usage").GetString());
        var cost = JsonDocument.Parse(await gateway.Client.GetStringAsync("/metrics/stats")).RootElement.GetProperty("cost_tracking");
        Assert.Equal(1, cost.GetProperty("partial_usage_records").GetInt64());
        Assert.Equal(2125, cost.GetProperty("total_input_tokens").GetInt64());
    }

    [Fact]
    public async Task Sigterm_InFlightStreamCompletes_NewRequestsRefused()
    {
        await using var upstream = await SseUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            foreach (var evt in ProviderBodies.AnthropicSse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
            {
                await context.Response.WriteAsync(evt + "\n\n");
                await context.Response.Body.FlushAsync();
                await Task.Delay(300);
            }
        });
        var port = ExternalTool.FreePort();
        var dir = Path.Combine(Path.GetTempPath(), "gateway-shutdown", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var routes = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.RoutesJson))!;
        routes["ReverseProxy"]!["Clusters"]!["anthropic"]!["Destinations"]!["primary"]!["Address"] = upstream.Url;
        await File.WriteAllTextAsync(Path.Combine(dir, "routes.json"), routes.ToJsonString());
        var dll = typeof(Gateway.Proxy.Hosting.GatewayHostingExtensions).Assembly.Location;
        using var process = Process.Start(new ProcessStartInfo("dotnet",
            $"\"{dll}\" --urls http://127.0.0.1:{port} --contentRoot \"{RepoPaths.Root}\" --Gateway:RoutesFile=\"{dir}/routes.json\" --GatewayLogging:File= --GatewayLogging:EnableConsole=false --Gateway:DrainSeconds=20")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    (await client.GetAsync("/health")).Dispose();
                    break;
                }
                catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{\"stream\":true}") };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsStreamAsync();
            var first = new byte[16];
            await body.ReadAtLeastAsync(first, 1);

            using (var kill = Process.Start("kill", $"-TERM {process.Id}"))
            {
                await kill!.WaitForExitAsync();
            }

            await Task.Delay(500);
            using var late = new HttpClient { BaseAddress = client.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => late.GetAsync("/health"));

            var rest = await new StreamReader(body).ReadToEndAsync();
            Assert.Contains("message_stop", rest, StringComparison.Ordinal);
            Assert.True(process.WaitForExit(15_000), "the gateway did not exit after draining");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task OversizedHeaders_AreRefusedByKestrel()
    {
        await using var gateway = await GatewayHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("X-Big", new string('a', 70 * 1024));

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }
}
