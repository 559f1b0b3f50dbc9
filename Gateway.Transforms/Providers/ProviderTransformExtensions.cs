using Gateway.Transforms.Bedrock;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Transforms.Providers;

/// <summary>Registers the gateway's provider transforms with YARP.</summary>
public static class ProviderTransformExtensions
{
    public static IReverseProxyBuilder AddGatewayProviderTransforms(this IReverseProxyBuilder builder)
    {
        builder.Services.TryAddSingleton(sp =>
        {
            var overrides = sp.GetRequiredService<IConfiguration>().GetSection("Bedrock:ModelMap").GetChildren()
                .Where(c => !string.IsNullOrWhiteSpace(c.Value))
                .ToDictionary(c => c.Key, c => c.Value!, StringComparer.OrdinalIgnoreCase);
            return new BedrockModelMap(overrides);
        });
        builder.AddTransforms<ProviderTransformProvider>();
        return builder;
    }
}
