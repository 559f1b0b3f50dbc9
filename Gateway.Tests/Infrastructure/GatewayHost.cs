using System.Text.Json.Nodes;
using Gateway.Proxy.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Gateway.Tests.Infrastructure;

/// <summary>The real gateway host on Kestrel at 127.0.0.1 (random port), with its own copy of routes.json.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string directory, CapturedLogs logs)
    {
        _app = app;
        Directory = directory;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    /// <summary>The temporary folder holding this host's routes.json.</summary>
    public string Directory { get; }

    public string RoutesFile => Path.Combine(Directory, "routes.json");

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway. <paramref name="upstreams"/> re-points clusters (id → base URL) in its routes.json.</summary>
    public static async Task<GatewayHost> StartAsync(
        IReadOnlyDictionary<string, string>? upstreams = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<JsonObject>? editRoutes = null,
        Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var routes = JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.RoutesJson))!.AsObject();
        foreach (var (cluster, url) in upstreams ?? new Dictionary<string, string>())
        {
            routes["ReverseProxy"]!["Clusters"]![cluster]!["Destinations"]!["primary"]!["Address"] = url;
        }

        editRoutes?.Invoke(routes);
        await File.WriteAllTextAsync(Path.Combine(directory, "routes.json"), routes.ToJsonString());

        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Gateway:RoutesFile={Path.Combine(directory, "routes.json")}",
            "--GatewayLogging:EnableConsole=false",
            "--GatewayLogging:File=",

            // Hosts under test never pick up a developer's real keys from the environment.
            "--ANTHROPIC_API_KEY=",
            "--OPENAI_API_KEY=",
            "--GEMINI_API_KEY=",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            args.Add($"--{key}={value}");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args.ToArray(),
            ContentRootPath = RepoPaths.Root,
            EnvironmentName = "Production",
        });
        var logs = new CapturedLogs();
        builder.Services.AddSingleton<ILogEventSink>(logs);
        services?.Invoke(builder.Services);
        builder.AddGateway();
        var app = builder.Build();
        map?.Invoke(app);
        app.MapGateway();
        await app.StartAsync();
        return new GatewayHost(app, directory, logs);
    }

    /// <summary>Writes routes.json in place (as an editor would) and waits for the reload to be logged.</summary>
    public async Task RewriteRoutesAsync(string content, string expectedEvent)
    {
        var before = Logs.Events(expectedEvent).Count;
        await File.WriteAllTextAsync(RoutesFile, content);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Logs.Events(expectedEvent).Count <= before)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"routes.json rewrite produced no '{expectedEvent}'.\n{Logs.AllText}");
            }

            await Task.Delay(50);
        }

        // YARP applies the new configuration on the change token; give it a moment.
        await Task.Delay(200);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
