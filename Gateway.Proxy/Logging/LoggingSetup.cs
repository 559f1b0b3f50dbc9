using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Proxy.Logging;

/// <summary>Serilog with the gateway's JSON format on every line, the framework's included.</summary>
internal static class LoggingSetup
{
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection(LoggingOptions.SectionName).Get<LoggingOptions>() ?? new LoggingOptions();
        var levelText = configuration["GATEWAY_LOG_LEVEL"] ?? options.Level;
        if (!LoggingOptions.TryParseLevel(levelText, out var level))
        {
            throw new InvalidOperationException($"GATEWAY_LOG_LEVEL / {LoggingOptions.SectionName}:Level '{levelText}' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL.");
        }

        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Information)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.With(new GatewayLogEnricher(services.GetRequiredService<IHttpContextAccessor>()));

            var formatter = new GatewayJsonFormatter();
            if (options.EnableConsole)
            {
                // Bounded and non-blocking: under overload lines are dropped, never the request slowed.
                logger.WriteTo.Async(sink => sink.Console(formatter), bufferSize: 10_000, blockWhenFull: false);
            }

            if (!string.IsNullOrWhiteSpace(options.File))
            {
                var path = Path.GetFullPath(options.File, contentRoot);
                logger.WriteTo.Async(sink => sink.File(formatter, path, shared: false, flushToDiskInterval: TimeSpan.FromSeconds(1)), bufferSize: 10_000, blockWhenFull: false);
            }

            foreach (var extra in services.GetServices<ILogEventSink>())
            {
                logger.WriteTo.Sink(extra);
            }
        });
        return builder;
    }
}
