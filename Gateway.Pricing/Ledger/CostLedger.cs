using Gateway.Pricing.Usage;

namespace Gateway.Pricing.Ledger;

/// <summary>Cumulative cost and token totals since start, for the <c>cost_tracking</c> block of <c>/metrics/stats</c>.</summary>
/// <remarks>
/// Decimal sums cannot be updated with interlocked operations; one short lock per completed request is far
/// below the cost of the request itself and keeps the totals exactly consistent with each other.
/// </remarks>
public sealed class CostLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, decimal> _byModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, decimal> _byProvider = new(StringComparer.Ordinal);
    private decimal _totalCost;
    private long _inputTokens;
    private long _outputTokens;
    private long _cacheReadTokens;
    private long _cacheWriteTokens;
    private long _reasoningTokens;
    private long _requestsTracked;
    private long _unpricedRequests;
    private long _partialRecords;

    /// <summary>Adds one request's usage. Only priced requests add cost; unpriced ones are counted apart.</summary>
    public void Record(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Completeness == UsageCompleteness.None && record.Usage.IsEmpty)
        {
            return;
        }

        lock (_gate)
        {
            _inputTokens += record.Usage.TotalInputTokens;
            _outputTokens += record.Usage.OutputTokens;
            _cacheReadTokens += record.Usage.CacheReadTokens;
            _cacheWriteTokens += record.Usage.CacheWriteTokens;
            _reasoningTokens += record.Usage.ReasoningTokens;
            if (record.Completeness == UsageCompleteness.Partial)
            {
                _partialRecords++;
            }

            if (record.Cost is not { } cost)
            {
                _unpricedRequests++;
                return;
            }

            _requestsTracked++;
            _totalCost += cost;

            // Keys are catalog ids (bounded by the catalog) and provider names (bounded by configuration).
            var modelKey = record.CatalogModelId ?? "unknown";
            _byModel[modelKey] = _byModel.GetValueOrDefault(modelKey) + cost;
            _byProvider[record.Provider] = _byProvider.GetValueOrDefault(record.Provider) + cost;
        }
    }

    public CostLedgerSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new CostLedgerSnapshot(
                TotalCostUsd: _totalCost,
                TotalInputTokens: _inputTokens,
                TotalOutputTokens: _outputTokens,
                CacheReadTokens: _cacheReadTokens,
                CacheWriteTokens: _cacheWriteTokens,
                ReasoningTokens: _reasoningTokens,
                RequestsTracked: _requestsTracked,
                UnpricedRequests: _unpricedRequests,
                PartialRecords: _partialRecords,
                CostByModel: new SortedDictionary<string, decimal>(_byModel, StringComparer.Ordinal),
                CostByProvider: new SortedDictionary<string, decimal>(_byProvider, StringComparer.Ordinal));
        }
    }
}
