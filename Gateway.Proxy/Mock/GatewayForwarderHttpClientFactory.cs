using Gateway.Proxy.Health;
using Gateway.Proxy.Telemetry;
using Gateway.Transforms.Providers;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Mock;

/// <summary>
/// YARP's client factory with three changes: clusters of provider <c>mock</c> get the in-process mock
/// handler, every client times the active health probes that go through it, and the trace context is put on
/// forwarded requests by <see cref="TraceContextHandler"/> instead of .NET's HTTP client instrumentation.
/// </summary>
internal sealed class GatewayForwarderHttpClientFactory : ForwarderHttpClientFactory
{
    private readonly MockProviderHandler _mock;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;

    public GatewayForwarderHttpClientFactory(MockProviderHandler mock, GatewayMetrics metrics, TimeProvider timeProvider, ILogger<ForwarderHttpClientFactory> logger)
        : base(logger)
    {
        _mock = mock;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        TraceContextHandler.WithoutHttpClientSpans(handler);
    }

    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler)
    {
        var metadata = context.NewMetadata;
        var inner = metadata is not null && metadata.TryGetValue(ProviderApis.MetadataKey, out var api)
            && ProviderApis.TryParse(api, out var parsed) && parsed == ProviderApi.Mock
            ? new NonDisposingHandler(_mock)
            : base.WrapHandler(context, handler);
        return new TraceContextHandler(new ProbeTimingHandler(inner, _metrics, _timeProvider));
    }

    /// <summary>The mock handler is a singleton shared by every client YARP creates and disposes: never dispose it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler shared) : HttpMessageHandler
    {
        private readonly HttpMessageInvoker _invoker = new(shared, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _invoker.SendAsync(request, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _invoker.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
