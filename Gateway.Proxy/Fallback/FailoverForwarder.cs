using System.Diagnostics;
using Gateway.Proxy.Errors;
using Gateway.Proxy.Health;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Sanitization;
using Gateway.Proxy.Telemetry;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Providers;
using Gateway.Transforms.Requests;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Fallback;

/// <summary>
/// The failover step of the YARP pipeline, run by <see cref="Usage.ProxyCompletionMiddleware"/> (one async frame
/// per request, not one per step). It buffers the request body (bounded), lets YARP make the first attempt, and
/// while the attempt failed before anything reached the client (transport error, time-out, or a retryable status
/// the response transform held back) replays the body to the next healthy cluster of the route's <c>Fallback</c>
/// chain. After the first byte has reached the client nothing is retried.
/// </summary>
internal sealed class FailoverForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly IProxyStateLookup _state;
    private readonly FallbackTransformerCache _transformers;
    private readonly LlmPassiveHealthPolicy _health;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<GatewayOptions> _options;
    private readonly ILogger<FailoverForwarder> _logger;
    private readonly bool _awsConfigured;
    private readonly Sanitizer _sanitizer;
    private int _roundRobin;

    public FailoverForwarder(
        IHttpForwarder forwarder, IProxyStateLookup state, FallbackTransformerCache transformers,
        LlmPassiveHealthPolicy health, GatewayMetrics metrics, TimeProvider timeProvider, IOptionsMonitor<GatewayOptions> options,
        IConfiguration configuration, Sanitizer sanitizer, ILogger<FailoverForwarder> logger)
    {
        _sanitizer = sanitizer;
        _awsConfigured = AwsCredentials.FromConfiguration(configuration) is not null;
        _forwarder = forwarder;
        _state = state;
        _transformers = transformers;
        _health = health;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>Makes the route's first attempt through the rest of YARP's pipeline (<paramref name="next"/>), then the fallbacks.</summary>
    public async Task ForwardAsync(HttpContext context, GatewayRequestFeature feature, RequestDelegate next)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = proxy.Route.Config;
        var primary = proxy.Cluster.Config;
        if (primary.Metadata?.GetValueOrDefault(ProviderApis.MetadataKey) is { } api && ProviderApis.TryParse(api, out var parsed))
        {
            feature.ClientApi = parsed.Name();
        }

        var chain = FallbackChain.Resolve(route, primary);

        // Hold the body only when it may be replayed (an eligible fallback), signed (Bedrock) or logged.
        var fallbackPossible = AnyAvailable(chain, 0);
        var replayable = await BufferBodyAsync(context, fallbackPossible || feature.ClientApi == "bedrock" || feature.CaptureResponseBytes > 0);
        if (replayable is null)
        {
            return;
        }

        var buffer = replayable.Value.Buffer;
        feature.RequestBodyBuffer = buffer;
        feature.MoreAttemptsAvailable = buffer is not null && fallbackPossible;

        // The first attempt inline (no closure, no extra async frame): it is every request's path.
        var span = GatewayTracing.StartAttempt(primary.ClusterId, 1);
        var start = _timeProvider.GetTimestamp();
        Outcome outcome;
        try
        {
            await next(context);
        }
        finally
        {
            outcome = EndAttempt(context, feature, primary.ClusterId, 1, span, start);
        }

        var previous = primary.ClusterId;
        var attempt = 1;
        for (var n = 0; n < chain.Count; n++)
        {
            var clusterId = chain[n];
            if (!outcome.Retry || buffer is null || context.Response.HasStarted)
            {
                break;
            }

            if (!IsAvailable(clusterId) || !_state.TryGetCluster(clusterId, out var cluster))
            {
                continue;
            }

            attempt++;
            Log.ProviderFailedFallback(_logger, previous, attempt - 1, outcome.ErrorType!, outcome.Status, clusterId);
            _metrics.FallbackTriggered(primary.ClusterId, clusterId);

            context.Response.Clear();
            context.Features.Set<IForwarderErrorFeature>(null);
            feature.ResetForAttempt();
            feature.Attempt = attempt;
            feature.MoreAttemptsAvailable = AnyAvailable(chain, n + 1);
            buffer.Position = 0;
            context.Request.Body = buffer;
            context.Request.ContentLength = buffer.Length;

            var destinations = cluster.DestinationsState.AvailableDestinations;
            var destination = destinations[(int)((uint)Interlocked.Increment(ref _roundRobin) % destinations.Count)];
            var transformer = _transformers.Get(route, cluster.Model.Config);
            span = GatewayTracing.StartAttempt(clusterId, attempt);
            start = _timeProvider.GetTimestamp();
            try
            {
                await _forwarder.SendAsync(context, destination.Model.Config.Address, cluster.Model.HttpClient,
                    cluster.Model.Config.HttpRequest ?? ForwarderRequestConfig.Empty, transformer);
                _health.RequestProxied(context, cluster, destination);
            }
            finally
            {
                outcome = EndAttempt(context, feature, clusterId, attempt, span, start);
            }

            previous = clusterId;
            if (!outcome.Failed)
            {
                _metrics.FallbackSucceeded(primary.ClusterId, clusterId);
                Log.FallbackSuccess(_logger, clusterId, attempt, primary.ClusterId);
            }
        }

        if (feature.SuppressedStatus is { } held && !context.Response.HasStarted)
        {
            // The last attempt's response was held for a fallback that then became unavailable.
            await ErrorResponses.WriteAsync(context, held, $"The provider answered {held} and no fallback was available");
        }
    }

    /// <summary>Whether a cluster from <paramref name="from"/> on can serve (a loop: no delegate per request).</summary>
    private bool AnyAvailable(IReadOnlyList<string> chain, int from)
    {
        for (var i = from; i < chain.Count; i++)
        {
            if (IsAvailable(chain[i]))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsAvailable(string clusterId) =>
        _state.TryGetCluster(clusterId, out var cluster) && FallbackChain.CanServe(cluster, _awsConfigured);

    /// <summary>Closes an attempt: its outcome, duration metric and span.</summary>
    private Outcome EndAttempt(HttpContext context, GatewayRequestFeature feature, string provider, int attempt, Activity? span, long start)
    {
        var outcome = Evaluate(context, feature);
        _metrics.ProviderAttempt(provider, attempt, _timeProvider.GetElapsedTime(start).TotalSeconds);
        if (span is not null)
        {
            span.SetTag("http.response.status_code", outcome.Status ?? context.Response.StatusCode);
            if (outcome.Failed)
            {
                span.SetTag("error", outcome.ErrorType);
                span.SetTag("error.type", outcome.ErrorType);
                span.SetStatus(ActivityStatusCode.Error, outcome.ErrorType);
                if (context.Features.Get<IForwarderErrorFeature>()?.Exception is { } exception)
                {
                    SanitizedExceptions.Record(span, exception, _sanitizer);
                }
            }

            span.Dispose();
        }

        if (outcome.Failed && context.Response.HasStarted && outcome.ErrorType != "client_aborted")
        {
            Log.ProviderFailedMidStream(_logger, provider, attempt, outcome.ErrorType!);
        }

        return outcome;
    }

    private static Outcome Evaluate(HttpContext context, GatewayRequestFeature feature)
    {
        var error = context.Features.Get<IForwarderErrorFeature>();
        if (error is not null)
        {
            var type = ForwarderErrorTypes.From(error.Error);
            return new Outcome(true, type != "client_aborted", type, feature.UpstreamStatus);
        }

        if (feature.SuppressedStatus is { } suppressed)
        {
            return new Outcome(true, true, ForwarderErrorTypes.FromStatus(suppressed), suppressed);
        }

        var status = context.Response.StatusCode;
        return ProviderTransformProvider.IsRetryable(status)
            ? new Outcome(true, false, ForwarderErrorTypes.FromStatus(status), status)
            : new Outcome(false, false, null, status);
    }

    /// <summary>
    /// Reads the body into memory when it may have to be replayed. Null result: a 413 was written. A null buffer:
    /// the body is streamed through (too large to replay, or no fallback configured).
    /// </summary>
    private async ValueTask<(MemoryStream? Buffer, bool)?> BufferBodyAsync(HttpContext context, bool wanted)
    {
        var request = context.Request;
        var options = _options.CurrentValue;
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                $"Request body of {request.ContentLength} bytes exceeds the limit of {options.MaxRequestBodyBytes} bytes");
            return null;
        }

        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        if (!wanted || !hasBody || request.ContentLength > options.MaxReplayBodyBytes)
        {
            return (null, false);
        }

        if (request.Body is MemoryStream { CanSeek: true } alreadyBuffered)
        {
            // The rate limiter read it already (token budgets): replay that buffer.
            alreadyBuffered.Position = 0;
            return (alreadyBuffered, true);
        }

        var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        try
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > options.MaxReplayBodyBytes)
                {
                    // A chunked body turned out too large to hold: refuse it rather than buffer without bound.
                    await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge,
                        $"Request body exceeds the replay limit of {options.MaxReplayBodyBytes} bytes; send it with Content-Length to stream it");
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {options.MaxRequestBodyBytes} bytes");
            return null;
        }

        buffer.Position = 0;
        request.Body = buffer;
        if (request.ContentLength is null)
        {
            request.Headers.Remove("Transfer-Encoding");
            request.ContentLength = buffer.Length;
        }

        return (buffer, true);
    }

    private readonly record struct Outcome(bool Failed, bool Retry, string? ErrorType, int? Status);
}
