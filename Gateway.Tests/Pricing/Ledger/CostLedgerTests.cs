using Gateway.Pricing.Ledger;
using Gateway.Pricing.Usage;

namespace Gateway.Tests.Pricing.Ledger;

public sealed class CostLedgerTests
{
    [Fact]
    public async Task Record_ConcurrentWriters_TotalsAreExact()
    {
        var ledger = new CostLedger();
        var record = new UsageRecord("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5",
            new TokenUsage { InputTokens = 150, OutputTokens = 800 }, 0.01245m, UsageCompleteness.Reported, "c", null);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                ledger.Record(record);
            }
        })));

        var snapshot = ledger.Snapshot();
        Assert.Equal(99.6m, snapshot.TotalCostUsd);
        Assert.Equal(8000, snapshot.RequestsTracked);
        Assert.Equal(1_200_000, snapshot.TotalInputTokens);
        Assert.Equal(6_400_000, snapshot.TotalOutputTokens);
        Assert.Equal(7_600_000, snapshot.TotalTokens);
        Assert.Equal(0.01245m, snapshot.AverageCostPerRequest);
        Assert.Equal(99.6m, snapshot.CostByModel["claude-sonnet-4-5"]);
        Assert.Equal(99.6m, snapshot.CostByProvider["anthropic"]);
    }

    [Fact]
    public void Record_Unpriced_CountsTokensButNoCost()
    {
        var ledger = new CostLedger();

        ledger.Record(new UsageRecord("openai", "mystery", null, new TokenUsage { InputTokens = 10, OutputTokens = 5 }, null, UsageCompleteness.Reported, "c", null));

        var snapshot = ledger.Snapshot();
        Assert.Equal(0m, snapshot.TotalCostUsd);
        Assert.Equal(0, snapshot.RequestsTracked);
        Assert.Equal(1, snapshot.UnpricedRequests);
        Assert.Equal(15, snapshot.TotalTokens);
        Assert.Empty(snapshot.CostByModel);
    }
}
