using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Transforms.Providers;

/// <summary>Registers the gateway's provider transforms with YARP.</summary>
public static class ProviderTransformExtensions
{
    public static IReverseProxyBuilder AddGatewayProviderTransforms(this IReverseProxyBuilder builder)
    {
        builder.AddTransforms<ProviderTransformProvider>();
        return builder;
    }
}
