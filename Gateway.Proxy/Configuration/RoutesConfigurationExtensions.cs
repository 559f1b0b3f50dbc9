using Gateway.Proxy.Hosting;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Gateway.Proxy.Configuration;

/// <summary>Adds routes.json to the configuration, below environment variables and the command line.</summary>
internal static class RoutesConfigurationExtensions
{
    public static WebApplicationBuilder AddGatewayRoutesFile(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"{GatewayOptions.SectionName}:RoutesFile"];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? "routes.json" : configured, builder.Environment.ContentRootPath);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{GatewayOptions.SectionName}:RoutesFile: '{path}' does not exist.");
        }

        var notifier = new RoutesReloadNotifier();
        builder.Services.AddSingleton(notifier);
        builder.Services.AddHostedService<RoutesReloadLogger>();

        // Environment variables (ReverseProxy__Clusters__x__Destinations__primary__Address) must override the file.
        var sources = builder.Configuration.Sources;
        var index = sources.Count;
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                index = i;
                break;
            }
        }

        sources.Insert(index, new RoutesFileConfigurationSource { Path = path, Notifier = notifier });
        return builder;
    }
}
