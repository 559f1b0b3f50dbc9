using System.Globalization;
using System.Runtime.CompilerServices;
using Gateway.Transforms.Requests;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Health;

/// <summary>
/// Passive health for LLM providers (YARP's TransportFailureRate ignores HTTP statuses): 429 and 529 take a
/// destination out at once, for its <c>Retry-After</c> if given; 5xx, time-outs and transport failures take
/// it out after <c>HealthFailureThreshold</c> consecutive failures (cluster metadata, default 3). It comes back
/// after the reactivation period (<c>HealthCheck:Passive:ReactivationPeriod</c>, default 30 s) or the Retry-After.
/// </summary>
internal sealed class LlmPassiveHealthPolicy : IPassiveHealthCheckPolicy
{
    public const string PolicyName = "LlmProvider";
    public const string ThresholdMetadataKey = "HealthFailureThreshold";
    private static readonly TimeSpan DefaultReactivation = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);

    private readonly IDestinationHealthUpdater _updater;
    private readonly ProviderHealthMonitor _monitor;
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failures = new();

    public LlmPassiveHealthPolicy(IDestinationHealthUpdater updater, ProviderHealthMonitor monitor)
    {
        _updater = updater;
        _monitor = monitor;
    }

    public string Name => PolicyName;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
        var feature = GatewayRequestFeature.Get(context);
        Report(cluster, destination, feature?.SuppressedStatus ?? context.Response.StatusCode, error, feature?.SuppressedRetryAfter ?? RetryAfter(context));
    }

    /// <summary>Applies one attempt's outcome to the destination's passive health.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="destination">The destination the attempt went to.</param>
    /// <param name="status">The upstream status (or the status written for a transport error).</param>
    /// <param name="error">The transport error, if the attempt had no response.</param>
    /// <param name="retryAfter">The response's Retry-After, if any.</param>
    public void Report(ClusterState cluster, DestinationState destination, int status, ForwarderError? error, TimeSpan? retryAfter)
    {
        if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestCreation or ForwarderError.ResponseHeaders)
        {
            // The client went away, or the gateway itself failed to build the request: says nothing about the provider.
            return;
        }

        var failed = error is not null and not ForwarderError.NoAvailableDestinations || status is 429 or 529 || status >= 500;
        var counter = _failures.GetOrCreateValue(destination);
        if (!failed)
        {
            Interlocked.Exchange(ref counter.Value, 0);
            return;
        }

        var reactivation = cluster.Model.Config.HealthCheck?.Passive?.ReactivationPeriod ?? DefaultReactivation;
        var immediate = status is 429 or 529 || retryAfter is not null;
        var threshold = cluster.Model.Config.Metadata?.TryGetValue(ThresholdMetadataKey, out var text) == true
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 3;
        if (!immediate && Interlocked.Increment(ref counter.Value) < threshold)
        {
            return;
        }

        Interlocked.Exchange(ref counter.Value, 0);
        var period = retryAfter is { } ra && ra > TimeSpan.Zero ? (ra > MaxRetryAfter ? MaxRetryAfter : ra) : reactivation;
        _updater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, period);
        var reason = error is not null ? error.Value.ToString() : "status " + status.ToString(CultureInfo.InvariantCulture);
        _monitor.Report(cluster.ClusterId, destination.DestinationId, healthy: false, $"{reason}; out for {period.TotalSeconds:0.#} s");
    }

    private static TimeSpan? RetryAfter(HttpContext context)
    {
        var value = context.Response.Headers[HeaderNames.RetryAfter].ToString();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date - DateTimeOffset.UtcNow : null;
    }
}
