using Gateway.Proxy.Sanitization;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Gateway.Proxy.Logging;

/// <summary>Serilog with the gateway's format on every line (the framework's included), sanitized, asynchronous and bounded.</summary>
internal static class LoggingSetup
{
    public static WebApplicationBuilder AddGatewayLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = LoggingOptions.FromConfiguration(configuration);
        _ = LoggingOptions.TryParseLevel(options.Level, out var level);
        var sanitizer = new Sanitizer(configuration.GetSection(SanitizerOptions.SectionName).Get<SanitizerOptions>());
        var monitor = new LogQueueMonitor();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(sanitizer);
        builder.Services.AddSingleton(monitor);

        var contentRoot = builder.Environment.ContentRootPath;
        var tracing = Telemetry.TelemetrySetup.TracingExported(configuration);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Is(level)
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                // ASP.NET Core opens a log scope (RequestId, RequestPath) on every request while its hosting category is
                // enabled at any level, and that category only logs request start/finish (Information, Debug), which
                // the gateway never writes. With spans exported it is switched off (above Fatal): no scope per request.
                // Without, it stays: its being enabled is what makes ASP.NET Core start the request activity whose
                // trace and span ids (the client's traceparent continued) every request line carries.
                .MinimumLevel.Override("Microsoft.AspNetCore.Hosting.Diagnostics", tracing ? LogEventLevel.Fatal + 1 : LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Extensions.Hosting", LogEventLevel.Information)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Yarp", LogEventLevel.Warning)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.With(new GatewayLogEnricher(services.GetRequiredService<IHttpContextAccessor>(), options.IncludeTraceInfo));

            var activeSanitizer = options.Sanitize ? sanitizer : null;
            ITextFormatter formatter = options.JsonFormat
                ? new GatewayJsonFormatter(activeSanitizer)
                : new SanitizingTextFormatter(new MessageTemplateTextFormatter("{Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u3} {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}"), activeSanitizer);
            // Bounded and non-blocking: under overload lines are dropped (and counted), never the request slowed.
            if (options.EnableConsole)
            {
                var console = new BoundedBatchingSink(new ConsoleLineSink(formatter), options.QueueLimit, BoundedBatchingSink.DrainInterval);
                monitor.Add(console);
                logger.WriteTo.Sink(console);
            }

            if (!string.IsNullOrWhiteSpace(options.File))
            {
                var path = Path.GetFullPath(options.File, contentRoot);
                var daily = options.EnableRotation
                    ? Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + ".daily" + Path.GetExtension(path))
                    : null;
                var file = new RotatingFileSink(formatter, path, options.EnableRotation ? options.MaxBytes : long.MaxValue, options.BackupCount, daily,
                    options.DailyRetentionDays, services.GetRequiredService<TimeProvider>());
                monitor.File = file;
                var batched = new BoundedBatchingSink(file, options.QueueLimit, BoundedBatchingSink.DrainInterval);
                monitor.Add(batched);
                logger.WriteTo.Sink(batched);
            }

            foreach (var extra in services.GetServices<ILogEventSink>())
            {
                logger.WriteTo.Sink(extra);
            }
        });
        return builder;
    }

    /// <summary>Plain-text lines, sanitized as a whole.</summary>
    private sealed class SanitizingTextFormatter(ITextFormatter inner, Sanitizer? sanitizer) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            using var buffer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            inner.Format(logEvent, buffer);
            output.Write(sanitizer?.Sanitize(buffer.ToString()) ?? buffer.ToString());
        }
    }
}
