using System.Diagnostics;
using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Proxy;

[Collection(IntegrationCollection.Name)]
public sealed class StreamingTests
{
    [Fact]
    public async Task Stream_UpstreamPausesAfterFirstEvent_ClientGetsFirstEventWellBeforePauseEnds()
    {
        await using var upstream = await SseUpstream.StartAsync(async context =>
        {
            if (context.Request.Path == "/warmup")
            {
                await context.Response.WriteAsync("{}");
                return;
            }

            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n");
            await context.Response.Body.FlushAsync();
            await Task.Delay(2000);
            await context.Response.WriteAsync("event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        });
        await using var gateway = await GatewayHost.StartAsync(new Dictionary<string, string> { ["anthropic"] = upstream.Url });

        // Warm the route (JIT, connection pool) so the timing below measures streaming, not start-up.
        (await gateway.Client.PostAsync("/anthropic/warmup", new StringContent("{}"))).Dispose();

        var clock = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{\"stream\":true}", Encoding.UTF8, "application/json") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        var firstLine = await reader.ReadLineAsync();
        var firstEventAt = clock.Elapsed;
        var rest = await reader.ReadToEndAsync();
        var allAt = clock.Elapsed;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("event: message_start", firstLine);
        Assert.True(firstEventAt < TimeSpan.FromSeconds(1), $"first event after {firstEventAt}");
        Assert.True(allAt >= TimeSpan.FromSeconds(1.9), $"whole stream after {allAt}");
        Assert.True(allAt - firstEventAt >= TimeSpan.FromSeconds(1.5), $"first event at {firstEventAt}, rest at {allAt}");
        Assert.Contains("message_stop", rest, StringComparison.Ordinal);
    }
}
