using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

/// <summary>
/// Observability as a team would switch it on with the stock packages, no tuning: OpenTelemetry ASP.NET Core and
/// HttpClient instrumentation (a server and a client span per request, sampler and OTLP endpoint from the standard
/// OTEL_* variables), their metrics on a Prometheus endpoint, and Serilog's request logging (one JSON line per
/// request) to a buffered file through the async sink. No usage parsing, cost, rate limiting or sanitization.
/// </summary>
internal static class StockInstrumentation
{
    public static void Add(WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("bare-yarp-instrumented"))
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter())
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddPrometheusExporter());

        var file = Environment.GetEnvironmentVariable("BARE_LOG_FILE") ?? "logs/bare-yarp.log";
        builder.Services.AddSerilog(logger => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Async(sink => sink.File(new CompactJsonFormatter(), file, buffered: true)));
    }

    public static void Use(WebApplication app)
    {
        app.UseSerilogRequestLogging();
        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
