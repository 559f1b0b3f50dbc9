using Gateway.Transforms.Providers;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Mock;

/// <summary>Gives clusters of provider <c>mock</c> an in-process client; every other cluster gets YARP's own.</summary>
internal sealed class GatewayForwarderHttpClientFactory : IForwarderHttpClientFactory
{
    private readonly MockProviderHandler _mock;
    private readonly ForwarderHttpClientFactory _default;

    public GatewayForwarderHttpClientFactory(MockProviderHandler mock, ILogger<ForwarderHttpClientFactory> logger)
    {
        _mock = mock;
        _default = new ForwarderHttpClientFactory(logger);
    }

    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context)
    {
        var metadata = context.NewMetadata;
        if (metadata is not null && metadata.TryGetValue(ProviderApis.MetadataKey, out var api)
            && ProviderApis.TryParse(api, out var parsed) && parsed == ProviderApi.Mock)
        {
            return new HttpMessageInvoker(_mock, disposeHandler: false);
        }

        return _default.CreateClient(context);
    }
}
