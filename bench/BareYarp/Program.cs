// The baseline: YARP with the gateway's routes (prefix removed) and nothing else, same GC settings.
// With BARE_INSTRUMENTED=true it is the second baseline: the same YARP with stock observability switched on the
// usual way (OpenTelemetry's ASP.NET Core and HttpClient instrumentation, every request traced and exported over
// OTLP, Prometheus metrics, Serilog request logging as JSON to a file), to show what that alone costs.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
var instrumented = string.Equals(Environment.GetEnvironmentVariable("BARE_INSTRUMENTED"), "true", StringComparison.OrdinalIgnoreCase);
if (instrumented)
{
    StockInstrumentation.Add(builder);
}

var app = builder.Build();
if (instrumented)
{
    StockInstrumentation.Use(app);
}

app.MapReverseProxy();
app.Run();
