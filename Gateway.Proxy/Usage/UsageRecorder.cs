using System.Diagnostics;
using Gateway.Pricing.Cost;
using Gateway.Pricing.Ledger;
using Gateway.Pricing.Usage;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Telemetry;
using Gateway.Transforms.Requests;
using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>
/// Turns a finished request into its usage record and cost, and hands it to the ledger, the metrics, the
/// request's span and one completion log event. Never throws: observability must not break a request.
/// </summary>
public sealed class UsageRecorder
{
    /// <summary>Model label for responses that named no model.</summary>
    public const string UnknownModel = "unknown";

    /// <summary>Model label for models outside the catalog (keeps the label set bounded).</summary>
    public const string OtherModel = "other";

    private readonly CostService _costs;
    private readonly CostLedger _ledger;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<UsageRecorder> _logger;
    private readonly CompletionLog _completions;

    public UsageRecorder(CostService costs, CostLedger ledger, GatewayMetrics metrics, ILogger<UsageRecorder> logger, Serilog.ILogger serilog)
    {
        _costs = costs;
        _ledger = ledger;
        _metrics = metrics;
        _logger = logger;
        _completions = new CompletionLog(serilog, typeof(UsageRecorder).FullName!);
    }

    /// <summary>Raised after each record, for in-process consumers (stats, token budgets).</summary>
    public event Action<UsageRecord, CompletedRequest>? Recorded;

    public UsageRecord? Record(GatewayRequestFeature feature, CompletedRequest request, Activity? activity)
    {
        try
        {
            return RecordCore(feature, request, activity);
        }
#pragma warning disable CA1031 // Any failure here is logged and swallowed by design: the response is already on its way.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ObservabilityFailed(_logger, ex);
            return null;
        }
    }

    private UsageRecord RecordCore(GatewayRequestFeature feature, CompletedRequest request, Activity? activity)
    {
        var parser = request.Parser;
        var usage = parser?.GetUsage() ?? default;
        var completeness = parser is null || !parser.HasUsage ? UsageCompleteness.None
            : request.BodyCompleted && request.ErrorType is null ? UsageCompleteness.Reported
            : UsageCompleteness.Partial;
        var rawModel = parser?.Model;

        // Bedrock bills the model id of the request path (its inference profile decides regional pricing).
        var (resolved, cost) = _costs.Price(request.ProviderApi, parser?.RequestedModel ?? rawModel, usage);
        if (completeness == UsageCompleteness.None)
        {
            cost = null;
        }

        var modelLabel = resolved.CatalogId ?? (rawModel is null ? UnknownModel : OtherModel);
        var record = new UsageRecord(request.Provider, rawModel, resolved.CatalogId, usage, cost, completeness, feature.CorrelationId, feature.SessionId);

        feature.Usage = record;
        _ledger.Record(record);
        if (feature.SessionId is not null)
        {
            _metrics.SessionSeen(feature.SessionId);
        }

        _metrics.RequestCompleted(request.Provider, modelLabel, request.Status, request.ErrorType, request.ElapsedSeconds);
        _metrics.GenAiDuration(request.Provider, modelLabel, request.Operation, request.ElapsedSeconds, request.ErrorType);
        _metrics.Sizes(request.Provider, request.RequestBytes, request.ResponseBytes);
        if (completeness != UsageCompleteness.None)
        {
            _metrics.Tokens(request.Provider, modelLabel, request.Operation, resolved.CatalogId, usage.TotalInputTokens, usage.OutputTokens,
                usage.CacheReadTokens, usage.CacheWriteTokens, usage.ReasoningTokens);
            if (cost is { } c)
            {
                _metrics.Cost(request.Provider, modelLabel, c);
            }
            else
            {
                _metrics.Unpriced(request.Provider, modelLabel);
            }
        }

        if (request.TimeToFirstByteSeconds is { } ttft && parser?.Framing is BodyFraming.ServerSentEvents or BodyFraming.AwsEventStream)
        {
            _metrics.TimeToFirstToken(request.Provider, modelLabel, ttft);
        }

        if (parser?.Fault is { } fault)
        {
            _metrics.UsageParseFailed(request.Provider);
            Log.UsageParseFailed(_logger, request.Provider, parser.Shape.ToString(), fault.Message);
        }

        Tag(activity, request, record, modelLabel);
        var latencyMs = Math.Round(request.ElapsedSeconds * 1000, 2);
        var usageText = completeness switch
        {
            UsageCompleteness.Reported => "reported",
            UsageCompleteness.Partial => "partial",
            _ => "none",
        };
        if (request.ErrorType is null)
        {
            _completions.Success(request.Provider, rawModel, request.Route, request.Status, latencyMs, usage, cost, usageText, feature.ClientName);
        }
        else
        {
            _completions.Failed(request.Provider, rawModel, request.Route, request.Status, request.ErrorType, latencyMs, usage, cost, usageText,
                feature.ClientName, request.Exception);
        }

        Recorded?.Invoke(record, request);
        return record;
    }

    private static void Tag(Activity? activity, CompletedRequest request, UsageRecord record, string modelLabel)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.SetTag("provider", request.Provider);
        activity.SetTag("model", modelLabel);
        activity.SetTag("gen_ai.operation.name", request.Operation);
        activity.SetTag("gen_ai.provider.name", request.Provider);
        if (record.Model is not null)
        {
            activity.SetTag("gen_ai.response.model", record.Model);
        }

        if (record.Completeness != UsageCompleteness.None)
        {
            // Each count boxed once for its two names.
            object input = record.Usage.TotalInputTokens;
            object output = record.Usage.OutputTokens;
            activity.SetTag("input_tokens", input);
            activity.SetTag("output_tokens", output);
            activity.SetTag("gen_ai.usage.input_tokens", input);
            activity.SetTag("gen_ai.usage.output_tokens", output);
            activity.SetTag("gen_ai.usage.cache_read.input_tokens", record.Usage.CacheReadTokens);
            activity.SetTag("gen_ai.usage.cache_creation.input_tokens", record.Usage.CacheWriteTokens);
        }

        if (record.Cost is { } cost)
        {
            activity.SetTag("cost_usd", (double)cost);
        }

        if (request.ErrorType is not null)
        {
            activity.SetTag("error", request.ErrorType);
            activity.SetTag("error.type", request.ErrorType);
            activity.SetStatus(ActivityStatusCode.Error, request.ErrorType);
        }
    }
}
