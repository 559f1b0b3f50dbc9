using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Proxy.Stats;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Owns every instrument of the guide's section 2 (plus time to first token and the OpenTelemetry GenAI
/// metrics). Label values are bounded: provider = cluster id, model = catalog id or a fixed fallback,
/// status = HTTP status code, never a request, correlation or session id.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "Gateway";

    /// <summary>The guide's latency buckets.</summary>
    public static readonly double[] LatencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 20, 30];

    public static readonly long[] TokenBuckets = [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 200000, 500000, 1000000];

    public static readonly double[] CostBuckets = [0.00001, 0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static readonly long[] SizeBuckets = [100, 1000, 10000, 100000, 1000000, 10000000, 100000000];

    public static readonly double[] TimeToFirstTokenBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public static readonly long[] GenAiTokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    public static readonly double[] GenAiDurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private readonly Counter<long> _requests;
    private readonly Counter<long> _requestsSuccess;
    private readonly Counter<long> _requestsFailed;
    private readonly Counter<long> _fallbackTriggered;
    private readonly Counter<long> _fallbackSuccess;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _providerDuration;
    private readonly Counter<long> _tokens;
    private readonly Histogram<long> _tokensPerRequest;
    private readonly Histogram<double> _costPerRequest;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _healthLatency;
    private readonly Counter<long> _rateLimitHits;
    private readonly Histogram<long> _requestSize;
    private readonly Histogram<long> _responseSize;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Counter<long> _unpriced;
    private readonly Counter<long> _usageParseFailures;
    private readonly Counter<long> _rateLimitStoreErrors;
    private readonly Histogram<long> _genAiTokens;
    private readonly Histogram<double> _genAiDuration;
    private readonly CostTotals _costTotals = new();
    private readonly StatsCollector _stats;

    public GatewayMetrics(IMeterFactory meterFactory, StatsCollector stats, Logging.LogQueueMonitor logs)
    {
        _stats = stats;
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("gateway_requests_total", description: "Total requests by provider, model, status");
        _requestsSuccess = meter.CreateCounter<long>("gateway_requests_success_total", description: "Successful requests");
        _requestsFailed = meter.CreateCounter<long>("gateway_requests_failed_total", description: "Failed requests by error type");
        _fallbackTriggered = meter.CreateCounter<long>("gateway_fallback_triggered_total", description: "Fallback events");
        _fallbackSuccess = meter.CreateCounter<long>("gateway_fallback_success_total", description: "Successful fallbacks");
        _requestDuration = meter.CreateHistogram("gateway_request_duration_seconds", description: "End-to-end latency",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _providerDuration = meter.CreateHistogram("gateway_provider_duration_seconds", description: "Provider latency by attempt",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _tokens = meter.CreateCounter<long>("gateway_tokens_consumed_total", description: "Tokens by type");
        _tokensPerRequest = meter.CreateHistogram("gateway_tokens_per_request", description: "Token distribution per request",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _costPerRequest = meter.CreateHistogram("gateway_cost_per_request_usd", description: "Cost distribution per request (USD)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CostBuckets });
        _active = meter.CreateUpDownCounter<long>("gateway_active_requests", description: "Current active requests per provider");
        _healthLatency = meter.CreateHistogram("gateway_provider_health_latency_seconds", description: "Health check latency",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _rateLimitHits = meter.CreateCounter<long>("gateway_rate_limit_hits_total", description: "Rate limit violations");
        _requestSize = meter.CreateHistogram("gateway_request_size_bytes", description: "Request payload size",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        _responseSize = meter.CreateHistogram("gateway_response_size_bytes", description: "Response payload size",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        _timeToFirstToken = meter.CreateHistogram("gateway_time_to_first_token_seconds", description: "Time to the first streamed byte",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = TimeToFirstTokenBuckets });
        _unpriced = meter.CreateCounter<long>("gateway_unpriced_requests_total", description: "Requests whose model has no price");
        _usageParseFailures = meter.CreateCounter<long>("gateway_usage_parse_failures_total", description: "Response bodies whose usage could not be read");
        _rateLimitStoreErrors = meter.CreateCounter<long>("gateway_rate_limit_store_errors_total", description: "Rate-limit decisions made without the shared store (Redis unreachable)");
        _genAiTokens = meter.CreateHistogram("gen_ai.client.token.usage", unit: "{token}", description: "Measures number of input and output tokens used",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = GenAiTokenBuckets });
        _genAiDuration = meter.CreateHistogram("gen_ai.client.operation.duration", unit: "s", description: "GenAI operation duration",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = GenAiDurationBuckets });

        // A Prometheus counter must end in _total; the guide's name is gateway_cost_total_usd, so it is exposed as a
        // gauge of the running total (rate() and increase() work on it as on a counter that never resets).
        meter.CreateObservableGauge("gateway_cost_total_usd", _costTotals.Observe, description: "Cumulative cost by provider/model (USD)");
        meter.CreateObservableGauge("gateway_provider_health", ObserveHealth, description: "Provider health status (1=healthy, 0=unhealthy)");
        meter.CreateObservableCounter("gateway_log_lines_dropped_total", () => logs.Dropped, description: "Log lines dropped (queue full under overload, or write failures)");
        meter.CreateObservableGauge("gateway_unique_sessions", () => stats.Sessions.Estimate(), description: "Number of tracked sessions (distinct in the last hour)");
    }

    /// <summary>Counts a session id toward <c>gateway_unique_sessions</c> (the id is hashed into a sketch, never a label).</summary>
    public void SessionSeen(string sessionId) => _stats.Sessions.Add(sessionId);

    public void RequestStarted(string provider) => _active.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void RequestEnded(string provider) => _active.Add(-1, new KeyValuePair<string, object?>("provider", provider));

    /// <summary>Records one completed request. <paramref name="errorType"/> is null on success.</summary>
    public void RequestCompleted(string provider, string model, int status, string? errorType, double seconds)
    {
        var statusText = StatusText(status);
        var tags = new TagList { { "provider", provider }, { "model", model }, { "status", statusText } };
        _requests.Add(1, tags);
        _requestDuration.Record(seconds, tags);
        _stats.RequestCompleted(provider, model, errorType is not null, seconds);
        // Same label set as gateway_requests_total, so the guide's success-rate division matches series.
        if (errorType is null)
        {
            _requestsSuccess.Add(1, tags);
        }
        else
        {
            _requestsFailed.Add(1, new TagList { { "provider", provider }, { "model", model }, { "status", statusText }, { "error_type", errorType } });
        }
    }

    public void ProviderAttempt(string provider, int attempt, double seconds) =>
        _providerDuration.Record(seconds, new TagList { { "provider", provider }, { "attempt", AttemptText(attempt) } });

    public void FallbackTriggered(string fromProvider, string toProvider)
    {
        _fallbackTriggered.Add(1, new TagList { { "provider", fromProvider }, { "fallback_provider", toProvider } });
        _stats.Fallback(fromProvider, toProvider, succeeded: false);
    }

    public void FallbackSucceeded(string fromProvider, string toProvider)
    {
        _fallbackSuccess.Add(1, new TagList { { "provider", fromProvider }, { "fallback_provider", toProvider } });
        _stats.Fallback(fromProvider, toProvider, succeeded: true);
    }

    public void Tokens(string provider, string model, string operation, string? responseModel, long input, long output, long cacheRead, long cacheWrite, long reasoning)
    {
        Add("input", input);
        Add("output", output);
        Add("total", input + output);
        Add("cache_read", cacheRead);
        Add("cache_write", cacheWrite);
        Add("reasoning", reasoning);
        _tokensPerRequest.Record(input + output, new TagList { { "provider", provider }, { "model", model } });

        var genAiProvider = GenAiProviderName(provider);
        _genAiTokens.Record(input, new TagList
        {
            { "gen_ai.operation.name", operation }, { "gen_ai.provider.name", genAiProvider },
            { "gen_ai.request.model", model }, { "gen_ai.response.model", responseModel ?? model }, { "gen_ai.token.type", "input" },
        });
        _genAiTokens.Record(output, new TagList
        {
            { "gen_ai.operation.name", operation }, { "gen_ai.provider.name", genAiProvider },
            { "gen_ai.request.model", model }, { "gen_ai.response.model", responseModel ?? model }, { "gen_ai.token.type", "output" },
        });

        void Add(string type, long value)
        {
            if (value > 0)
            {
                _tokens.Add(value, new TagList { { "provider", provider }, { "model", model }, { "type", type } });
            }
        }
    }

    public void GenAiDuration(string provider, string model, string operation, double seconds, string? errorType)
    {
        var tags = new TagList { { "gen_ai.operation.name", operation }, { "gen_ai.provider.name", GenAiProviderName(provider) }, { "gen_ai.request.model", model } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _genAiDuration.Record(seconds, tags);
    }

    public void Cost(string provider, string model, decimal cost)
    {
        _costTotals.Add(provider, model, cost);
        _costPerRequest.Record((double)cost, new TagList { { "provider", provider }, { "model", model } });
    }

    public void Unpriced(string provider, string model) =>
        _unpriced.Add(1, new TagList { { "provider", provider }, { "model", model } });

    public void UsageParseFailed(string provider) => _usageParseFailures.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void TimeToFirstToken(string provider, string model, double seconds) =>
        _timeToFirstToken.Record(seconds, new TagList { { "provider", provider }, { "model", model } });

    public void Sizes(string provider, long requestBytes, long responseBytes)
    {
        var tag = new KeyValuePair<string, object?>("provider", provider);
        _requestSize.Record(requestBytes, tag);
        _responseSize.Record(responseBytes, tag);
    }

    public void RateLimitHit(string endpoint, string clientLabel)
    {
        _rateLimitHits.Add(1, new TagList { { "endpoint", endpoint }, { "client_id", clientLabel } });
        _stats.RateLimitHit(endpoint, clientLabel);
    }

    public void RateLimitStoreError() => _rateLimitStoreErrors.Add(1);

    public void HealthProbe(string provider, double seconds) =>
        _healthLatency.Record(seconds, new KeyValuePair<string, object?>("provider", provider));

    private IEnumerable<Measurement<int>> ObserveHealth()
    {
        foreach (var entry in _stats.HealthSource?.Invoke() ?? [])
        {
            yield return new Measurement<int>(entry.Healthy ? 1 : 0,
                new KeyValuePair<string, object?>("provider", entry.Provider),
                new KeyValuePair<string, object?>("destination", entry.Destination));
        }
    }

    internal static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        413 => "413",
        429 => "429",
        500 => "500",
        502 => "502",
        503 => "503",
        504 => "504",
        529 => "529",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string AttemptText(int attempt) => attempt switch
    {
        1 => "1",
        2 => "2",
        3 => "3",
        _ => attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>OpenTelemetry GenAI semantic-convention provider names.</summary>
    private static string GenAiProviderName(string provider) => provider switch
    {
        "openai" => "openai",
        "anthropic" => "anthropic",
        "gemini" => "gcp.gemini",
        "bedrock" => "aws.bedrock",
        _ => provider,
    };

    /// <summary>Running cost totals per (provider, model), exposed through an observable gauge.</summary>
    private sealed class CostTotals
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<(string Provider, string Model), decimal> _totals = [];

        public void Add(string provider, string model, decimal cost)
        {
            lock (_gate)
            {
                _totals[(provider, model)] = _totals.GetValueOrDefault((provider, model)) + cost;
            }
        }

        public List<Measurement<double>> Observe()
        {
            lock (_gate)
            {
                return _totals.Select(kv => new Measurement<double>(
                    (double)kv.Value,
                    new KeyValuePair<string, object?>("provider", kv.Key.Provider),
                    new KeyValuePair<string, object?>("model", kv.Key.Model))).ToList();
            }
        }
    }
}
