using System.Diagnostics;
using Gateway.Proxy.Errors;
using Gateway.Proxy.Fallback;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Telemetry;
using Gateway.Transforms.Requests;
using Gateway.Transforms.Usage;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Usage;

/// <summary>
/// Outermost step of the YARP pipeline: counts the request as active, runs the attempts (<see cref="FailoverForwarder"/>:
/// the rest of YARP's pipeline, then any fallbacks), and once the forwarder has finished (the body fully copied, or
/// failed), turns a transport failure into a JSON error and records the usage.
/// </summary>
internal sealed class ProxyCompletionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly UsageRecorder _recorder;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly BodyLogger _bodies;
    private readonly FailoverForwarder _failover;

    public ProxyCompletionMiddleware(RequestDelegate next, UsageRecorder recorder, GatewayMetrics metrics, TimeProvider timeProvider, BodyLogger bodies, FailoverForwarder failover)
    {
        _failover = failover;
        _bodies = bodies;
        _next = next;
        _recorder = recorder;
        _metrics = metrics;
        _timeProvider = timeProvider;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var feature = GatewayRequestFeature.Get(context);
        return feature is null ? _next(context) : InvokeCoreAsync(context, feature);
    }

    private async Task InvokeCoreAsync(HttpContext context, GatewayRequestFeature feature)
    {
        var proxy = context.GetReverseProxyFeature();
        var provider = proxy.Cluster.Config.ClusterId;
        feature.Provider ??= provider;
        feature.RouteId ??= proxy.Route.Config.RouteId;
        var root = Activity.Current;
        GatewayTracing.NameRoot(root, GatewayTracing.ProxyRequest, context.Request.Method, context.Request.Path.Value ?? "/");
        feature.CaptureResponseBytes = _bodies.CaptureBytes;
        _metrics.RequestStarted(provider);
        try
        {
            await _failover.ForwardAsync(context, feature, _next);
        }
        finally
        {
            _metrics.RequestEnded(provider);
        }

        var error = context.Features.Get<IForwarderErrorFeature>();
        string? errorType = null;
        if (error is not null)
        {
            errorType = ForwarderErrorTypes.From(error.Error);
            if (!context.Response.HasStarted && errorType != "client_aborted")
            {
                await ErrorResponses.WriteAsync(context, ForwarderErrorTypes.Status(error.Error), ForwarderErrorTypes.Message(error.Error));
            }
        }
        else if (context.Response.StatusCode >= 400)
        {
            errorType = ForwarderErrorTypes.FromStatus(context.Response.StatusCode);
        }

        var tap = feature.Tap;
        tap?.Parser.Finish();
        var now = _timeProvider.GetTimestamp();
        double? ttfb = tap is { FirstByteTimestamp: > 0 } ? _timeProvider.GetElapsedTime(feature.StartTimestamp, tap.FirstByteTimestamp).TotalSeconds : null;
        _recorder.Record(feature, new CompletedRequest(
            Provider: feature.Provider,
            ProviderApi: feature.ProviderApi ?? feature.Provider,
            Route: feature.RouteId,
            Operation: OperationName(feature.Shape),
            Status: context.Response.StatusCode,
            ErrorType: errorType,
            Parser: tap?.Parser,
            BodyCompleted: tap?.Completed ?? false,
            ElapsedSeconds: _timeProvider.GetElapsedTime(feature.StartTimestamp, now).TotalSeconds,
            TimeToFirstByteSeconds: ttfb,
            RequestBytes: feature.RequestBytes,
            ResponseBytes: tap?.BytesRead ?? 0,
            Exception: error?.Exception), root);
        if (_bodies.Enabled)
        {
            _bodies.Log(context, feature.RequestBodyBuffer, tap is null ? default : tap.Captured);
        }

        tap?.Parser.Dispose();
    }

    internal static string OperationName(UsageShape shape) => shape switch
    {
        UsageShape.OpenAIEmbeddings => "embeddings",
        UsageShape.Gemini => "generate_content",
        UsageShape.OpenAIResponses => "chat",
        _ => "chat",
    };
}
