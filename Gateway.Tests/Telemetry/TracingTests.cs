using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Gateway.Proxy.Telemetry;
using Gateway.Tests.Fixtures;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Gateway.Tests.Telemetry;

[Collection(IntegrationCollection.Name)]
public sealed class TracingTests
{
    [Fact]
    public async Task ProxiedRequest_RootAndAttemptSpans_WithGuideAndGenAiAttributes_TraceContinuesUpstream()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().WithPath("/v1/messages"))
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(ProviderBodies.AnthropicJson));
        var spans = new SpanList();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["anthropic"] = upstream.Url + "/" },
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName, "System.Net.Http").AddInMemoryExporter(spans)));

        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        request.Headers.Add("X-Correlation-ID", "trace-corr");
        request.Headers.Add("X-Session-ID", "trace-session");
        using var response = await gateway.Client.SendAsync(request);
        var root = await WaitForSpanAsync(spans, GatewayTracing.ProxyRequest);
        var attempt = await WaitForSpanAsync(spans, "provider_attempt_1");

        Assert.Equal(TraceId, root.TraceId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", root.ParentSpanId.ToHexString());
        Assert.Equal(root.SpanId, attempt.ParentSpanId);
        Assert.Equal("trace-corr", root.GetTagItem("correlation_id"));
        Assert.Equal("trace-session", root.GetTagItem("gen_ai.conversation.id"));
        Assert.Equal("anthropic", root.GetTagItem("provider"));
        Assert.Equal("claude-sonnet-4-5", root.GetTagItem("model"));
        Assert.Equal(150L, root.GetTagItem("input_tokens"));
        Assert.Equal(800L, root.GetTagItem("output_tokens"));
        Assert.Equal(0.01245, (double)root.GetTagItem("cost_usd")!, 10);
        Assert.Equal("chat", root.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("claude-sonnet-4-5-20250929", root.GetTagItem("gen_ai.response.model"));
        Assert.Equal(150L, root.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(800L, root.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("anthropic", attempt.GetTagItem("provider"));
        Assert.Equal(1, attempt.GetTagItem("attempt"));
        Assert.Equal(ActivityKind.Client, attempt.Kind);

        // W3C trace context continues to the provider with the attempt span as its parent, replacing the client's
        // traceparent; no separate HTTP client span is paid for, even when a listener asks for System.Net.Http.
        var traceparent = Assert.Single(Assert.Single(upstream.LogEntries).RequestMessage.Headers!["traceparent"]);
        Assert.Equal($"00-{TraceId}-{attempt.SpanId.ToHexString()}-01", traceparent);
        // (The test's own client, in this process, does make a System.Net.Http span: the root's parent.)
        Assert.DoesNotContain(spans.Snapshot(), s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == attempt.SpanId);
    }

    [Fact]
    public async Task FailedRequest_RootSpanHasErrorStatus()
    {
        using var upstream = WireMockServer.Start();
        upstream.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(503).WithBody("down"));
        var spans = new SpanList();
        await using var gateway = await GatewayHost.StartAsync(
            new Dictionary<string, string> { ["openai"] = upstream.Url + "/" },
            services: s => s.AddOpenTelemetry().WithTracing(t => t.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName, "System.Net.Http").AddInMemoryExporter(spans)));

        using var response = await gateway.Client.PostAsync("/openai/v1/chat/completions", new StringContent("{}"));
        var root = await WaitForSpanAsync(spans, GatewayTracing.ProxyRequest);

        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.Equal("upstream_5xx", root.GetTagItem("error"));
    }

    [Fact]
    public async Task OtlpHttpProtobuf_ExportReachesLocalReceiver()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var receiver = await SseUpstream.StartAsync(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            received.Enqueue(buffer.ToArray());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
        });
        await using var gateway = await GatewayHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Url.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });

        using var response = await gateway.Client.PostAsync("/mock/v1/messages", new StringContent("{\"max_tokens\":5,\"messages\":[]}"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!received.Any(b => Encoding.UTF8.GetString(b).Contains("provider_attempt_1", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var all = string.Join("|", received.Select(Encoding.UTF8.GetString));
        Assert.Contains("provider_attempt_1", all, StringComparison.Ordinal);
        Assert.Contains("proxy_request", all, StringComparison.Ordinal);
        Assert.Equal("/v1/traces", receiver.Requests.First().Path);
    }

    [Fact]
    public async Task NoExporterConfigured_NothingIsTraced()
    {
        await using var gateway = await GatewayHost.StartAsync();

        Assert.Null(gateway.Services.GetService<TracerProvider>());
    }

    private static async Task<Activity> WaitForSpanAsync(SpanList spans, string name)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var span = spans.Snapshot().FirstOrDefault(s => s.DisplayName == name);
            if (span is not null)
            {
                return span;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No span '{name}'; got: {string.Join(", ", spans.Snapshot().Select(s => s.DisplayName))}");
    }

    /// <summary>The in-memory exporter adds from request threads; reads take a locked copy.</summary>
    internal sealed class SpanList : System.Collections.ObjectModel.Collection<Activity>
    {
        public List<Activity> Snapshot()
        {
            lock (this)
            {
                return [.. this];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (this)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
