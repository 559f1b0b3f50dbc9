using Gateway.Pricing.Catalog;
using Gateway.Pricing.Cost;
using Gateway.Pricing.Usage;

namespace Gateway.Tests.Pricing.Cost;

/// <summary>Costs computed by hand from the published per-1M prices.</summary>
public sealed class CostCalculatorTests
{
    private static readonly PricingCatalog Catalog = PricingCatalog.LoadDefault();

    [Fact]
    public void GuideExample_150In800Out_Sonnet45_Costs0_01245Exactly()
    {
        var cost = CostCalculator.Calculate(new TokenUsage { InputTokens = 150, OutputTokens = 800 }, Catalog.Resolve("anthropic", "claude-sonnet-4-5-20250929"));

        Assert.Equal(0.01245m, cost);
    }

    [Fact]
    public void Anthropic_CacheReadsAndBothWriteTtls_EachAtTheirOwnRate()
    {
        // 25×3 + 60×3.75 + 40×6 + 2000×0.30 + 15×15 = 1365 per 1M.
        var usage = new TokenUsage { InputTokens = 25, CacheWrite5mTokens = 60, CacheWrite1hTokens = 40, CacheReadTokens = 2000, OutputTokens = 15 };

        Assert.Equal(0.001365m, CostCalculator.Calculate(usage, Catalog.Resolve("anthropic", "claude-sonnet-4-5")));
    }

    [Fact]
    public void Anthropic_LongContext_Above200kTotalInput_BillsEverythingAtTheLongRate()
    {
        // 150k input + 60k cache read = 210k > 200k: 150000×6 + 60000×0.60 + 1000×22.50 = 958500 per 1M.
        var usage = new TokenUsage { InputTokens = 150_000, CacheReadTokens = 60_000, OutputTokens = 1000 };

        Assert.Equal(0.9585m, CostCalculator.Calculate(usage, Catalog.Resolve("anthropic", "claude-sonnet-4-5")));
    }

    [Fact]
    public void Anthropic_Exactly200k_StaysOnStandardRate()
    {
        var usage = new TokenUsage { InputTokens = 200_000, OutputTokens = 0 };

        Assert.Equal(0.6m, CostCalculator.Calculate(usage, Catalog.Resolve("anthropic", "claude-sonnet-4-5")));
    }

    [Fact]
    public void OpenAI_CachedPromptTokens_AtCacheRate_RestAtInput()
    {
        // gpt-4o: 176×2.50 + 1024×1.25 + 300×10 = 4720 per 1M (reasoning is already inside completion tokens).
        var usage = new TokenUsage { InputTokens = 176, CacheReadTokens = 1024, OutputTokens = 300, ReasoningTokens = 100 };

        Assert.Equal(0.00472m, CostCalculator.Calculate(usage, Catalog.Resolve("openai", "gpt-4o-2024-08-06")));
    }

    [Fact]
    public void Gemini_LongContext_Pro_Above200kPrompt()
    {
        // 250000×2.50 + 2000×15 = 655000 per 1M.
        var usage = new TokenUsage { InputTokens = 250_000, OutputTokens = 2000, ReasoningTokens = 1000 };

        Assert.Equal(0.655m, CostCalculator.Calculate(usage, Catalog.Resolve("gemini", "gemini-2.5-pro")));
    }

    [Fact]
    public void Bedrock_RegionalEndpoint_Claude45_Adds10Percent()
    {
        // (300×3 + 400×0.30 + 100×3.75 + 100×15) × 1.1 = 2895 × 1.1 = 3184.5 per 1M.
        var usage = new TokenUsage { InputTokens = 300, CacheReadTokens = 400, CacheWrite5mTokens = 100, OutputTokens = 100 };

        Assert.Equal(0.0031845m, CostCalculator.Calculate(usage, Catalog.Resolve("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")));
        Assert.Equal(0.002895m, CostCalculator.Calculate(usage, Catalog.Resolve("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0")));
    }

    [Fact]
    public void Batch_AppliesPublishedDiscount()
    {
        var usage = new TokenUsage { InputTokens = 150, OutputTokens = 800 };

        Assert.Equal(0.006225m, CostCalculator.Calculate(usage, Catalog.Resolve("anthropic", "claude-sonnet-4-5"), batch: true));
    }

    [Fact]
    public void UnknownModel_IsNull_NotZero()
    {
        Assert.Null(CostCalculator.Calculate(new TokenUsage { InputTokens = 10 }, Catalog.Resolve("openai", "my-model")));
    }

    [Fact]
    public void CostService_AddModelPricing_WinsOverShippedAndConfigured()
    {
        var service = new CostService(Catalog);
        service.SetConfiguredOverrides([new ModelPrice { Id = "my-custom-model", Provider = "custom", Standard = new PriceSheet { Input = 1m, Output = 1m } }]);
        Assert.Equal(0.000002m, service.Price("custom", "my-custom-model", new TokenUsage { InputTokens = 1, OutputTokens = 1 }).Cost);

        service.AddModelPricing("my-custom-model", inputPricePer1M: 5.00m, outputPricePer1M: 20.00m, provider: "custom");

        Assert.Equal(0.000025m, service.Price("custom", "my-custom-model", new TokenUsage { InputTokens = 1, OutputTokens = 1 }).Cost);
    }

    [Fact]
    public void CostService_UnknownModel_WarnsOncePerModel()
    {
        var service = new CostService(Catalog);
        var seen = new List<string>();
        service.UnpricedModelSeen += (_, model) => seen.Add(model);

        service.Price("openai", "mystery", default);
        service.Price("openai", "mystery", default);
        service.Price("openai", "other-mystery", default);

        Assert.Equal(["mystery", "other-mystery"], seen);
    }
}
