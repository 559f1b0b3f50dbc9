namespace Gateway.Pricing.Ledger;

/// <summary>A consistent copy of the ledger's totals.</summary>
public sealed record CostLedgerSnapshot(
    decimal TotalCostUsd,
    long TotalInputTokens,
    long TotalOutputTokens,
    long CacheReadTokens,
    long CacheWriteTokens,
    long ReasoningTokens,
    long RequestsTracked,
    long UnpricedRequests,
    long PartialRecords,
    IReadOnlyDictionary<string, decimal> CostByModel,
    IReadOnlyDictionary<string, decimal> CostByProvider)
{
    public long TotalTokens => TotalInputTokens + TotalOutputTokens;

    /// <summary>Average over priced requests; 0 before the first one.</summary>
    public decimal AverageCostPerRequest => RequestsTracked == 0 ? 0m : TotalCostUsd / RequestsTracked;
}
