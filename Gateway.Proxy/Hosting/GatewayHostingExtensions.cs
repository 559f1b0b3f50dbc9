using Gateway.Pricing.Catalog;
using Gateway.Pricing.Cost;
using Gateway.Pricing.Ledger;
using Gateway.Proxy.Access;
using Gateway.Proxy.Configuration;
using Gateway.Proxy.Costs;
using Gateway.Proxy.Errors;
using Gateway.Proxy.Fallback;
using Gateway.Proxy.Generate;
using Gateway.Proxy.Health;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Mock;
using Gateway.Proxy.RateLimiting;
using Gateway.Proxy.Sanitization;
using Gateway.Proxy.Stats;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Usage;
using Gateway.Transforms.Correlation;
using Gateway.Transforms.Providers;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;

namespace Gateway.Proxy.Hosting;

/// <summary>The gateway's composition root: <c>builder.AddGateway()</c> then <c>app.MapGateway()</c>.</summary>
public static class GatewayHostingExtensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.AddGatewayRoutesFile();
        builder.AddGatewayLogging();
        builder.AddGatewayTelemetry();

        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName)
            .Validate(o => o.MaxRequestBodyBytes > 0, $"{GatewayOptions.SectionName}:MaxRequestBodyBytes must be positive").ValidateOnStart();
        services.AddOptions<MockOptions>().BindConfiguration(MockOptions.SectionName)
            .Validate(o => o.DelayMs >= 0 && o.StreamEventDelayMs >= 0 && o.StreamEvents > 0 && o.CacheReadTokens >= 0, $"{MockOptions.SectionName}: delays and counts must not be negative").ValidateOnStart();

        // Cost: the shipped catalog plus overrides (configuration, hot-reloaded file, code).
        services.AddSingleton(_ => new CostService(PricingCatalog.LoadDefault()));
        services.AddSingleton<CostLedger>();
        services.AddHostedService<PricingOverridesWatcher>();

        services.AddSingleton(AccessOptions.FromConfiguration(builder.Configuration));
        services.AddSingleton<GatewayKeyStore>();

        var rateLimits = RateLimitOptions.FromConfiguration(builder.Configuration);
        services.AddSingleton(rateLimits);
        services.AddSingleton<ClientLabels>();
        services.AddSingleton<IRateLimitStore>(_ => string.IsNullOrWhiteSpace(rateLimits.Redis)
            ? new InMemoryRateLimitStore()
            : new RedisRateLimitStore(rateLimits.Redis));

        services.AddSingleton<StatsCollector>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<UsageRecorder>();
        services.AddSingleton<BodyLogger>();
        services.AddHostedService<GatewayStartupLogger>();

        services.AddSingleton<MockProviderHandler>();
        services.AddSingleton<IForwarderHttpClientFactory, GatewayForwarderHttpClientFactory>();
        services.AddSingleton<IProbingRequestFactory, GatewayProbingRequestFactory>();
        services.AddSingleton<ProviderHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ProviderHealthMonitor>());
        services.AddSingleton<LlmPassiveHealthPolicy>();
        services.AddSingleton<IPassiveHealthCheckPolicy>(sp => sp.GetRequiredService<LlmPassiveHealthPolicy>());
        services.AddSingleton<FallbackTransformerCache>();
        services.AddSingleton<FailoverForwarder>();

        services.AddOptions<GenerateOptions>().BindConfiguration(GenerateOptions.SectionName)
            .Validate(o => o.TimeoutSeconds > 0, $"{GenerateOptions.SectionName}:TimeoutSeconds must be positive").ValidateOnStart();
        services.AddSingleton<GenerateSender>();
        services.AddSingleton<GenerateEndpoint>();
        services.AddHttpClient(GenerateSender.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => TraceContextHandler.WithoutHttpClientSpans(
                new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None, UseCookies = false }))
            .AddHttpMessageHandler(() => new TraceContextHandler())
            .AddResilienceHandler("generate-timeout", (pipeline, context) =>
                pipeline.AddTimeout(TimeSpan.FromSeconds(context.ServiceProvider.GetRequiredService<IOptionsMonitor<GenerateOptions>>().CurrentValue.TimeoutSeconds)));
        services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddGatewayProviderTransforms();


        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var options = context.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
            var limits = kestrel.Limits;
            limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            limits.MaxRequestHeadersTotalSize = 64 * 1024;
            limits.MaxRequestHeaderCount = 200;
            limits.MaxRequestLineSize = 16 * 1024;
            limits.MaxConcurrentConnections = options.MaxConcurrentConnections;
            limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);

            // Clients must send their (small) bodies promptly; responses may idle for seconds while a model thinks.
            limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(bytesPerSecond: 100, gracePeriod: TimeSpan.FromSeconds(10));
            limits.MinResponseDataRate = null;
            limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.AddServerHeader = false;
        });

        // On SIGTERM: stop accepting, let in-flight requests and streams finish up to the drain time, then flush and exit.
        var drain = builder.Configuration.GetValue<int?>($"{GatewayOptions.SectionName}:DrainSeconds") ?? new GatewayOptions().DrainSeconds;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(drain));

        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        WireUnpricedWarning(app.Services);

        var proxyState = app.Services.GetRequiredService<IProxyStateLookup>();
        app.Services.GetRequiredService<StatsCollector>().HealthSource = () => ProviderHealthReader.Read(proxyState);

        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Never a stack trace to the client: a JSON body with the correlation id; the exception is logged.
            ExceptionHandler = context =>
            {
                if (System.Diagnostics.Activity.Current is { } activity && context.Features.Get<IExceptionHandlerFeature>()?.Error is { } error)
                {
                    SanitizedExceptions.Record(activity, error, context.RequestServices.GetRequiredService<Sanitizer>());
                    activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.GetType().Name);
                }

                return ErrorResponses.WriteAsync(context, StatusCodes.Status500InternalServerError, "Internal gateway error");
            },
        });
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseMiddleware<AccessMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();

        app.MapGet("/health", HealthEndpoints.Live).DisableGatewayRateLimit();
        app.MapGet("/health/ready", HealthEndpoints.Ready).DisableGatewayRateLimit();
        app.MapPrometheusScrapingEndpoint("/metrics").DisableGatewayRateLimit().WithMetadata(MetricsEndpointMetadata.Instance);
        app.MapGet("/metrics/stats", StatsEndpoint.WriteAsync).DisableGatewayRateLimit().WithMetadata(MetricsEndpointMetadata.Instance);
        app.MapPost("/v1/generate", (HttpContext context, GenerateEndpoint endpoint) => endpoint.HandleAsync(context));

        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseMiddleware<ProxyCompletionMiddleware>();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });

        app.MapFallback(ErrorResponses.NotFound);
        return app;
    }

    private static void WireUnpricedWarning(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Gateway.Pricing");
        services.GetRequiredService<CostService>().UnpricedModelSeen += (provider, model) => Log.UnpricedModel(logger, provider, model);
    }
}
