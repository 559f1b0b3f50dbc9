using Gateway.Proxy.Sanitization;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Metrics always (Prometheus at <c>/metrics</c>); traces only when exported: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// turns on OTLP (gRPC or http/protobuf per <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>), <c>OTEL_CONSOLE=true</c> the console
/// exporter. The SDK reads the standard <c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_SERVICE_NAME</c> and
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> itself.
/// </summary>
internal static class TelemetrySetup
{
    public static WebApplicationBuilder AddGatewayTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = IsOtlpExport(configuration);
        var console = IsConsoleExport(configuration);

        // Whoever turns tracing on (exporters here, or a test's in-memory exporter), spans are sanitized first.
        builder.Services.ConfigureOpenTelemetryTracerProvider((services, tracing) => tracing.AddProcessor(new SanitizingSpanProcessor(services.GetRequiredService<Sanitizer>())));

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "gateway"))
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName)
                .AddPrometheusExporter());

        if (otlp || console)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing.AddSource(GatewayTracing.SourceName, GatewayTracing.AspNetCoreSourceName);
                if (otlp)
                {
                    // Endpoint, protocol (grpc or http/protobuf, with the /v1/traces path) and headers come from OTEL_EXPORTER_OTLP_*.
                    tracing.AddOtlpExporter();
                }

                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        }

        return builder;
    }

    /// <summary>True when spans are exported (OTLP or console), so every request has an activity of its own.</summary>
    public static bool TracingExported(IConfiguration configuration) => IsOtlpExport(configuration) || IsConsoleExport(configuration);

    private static bool IsOtlpExport(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsConsoleExport(IConfiguration configuration) =>
        string.Equals(configuration["OTEL_CONSOLE"], "true", StringComparison.OrdinalIgnoreCase);
}
