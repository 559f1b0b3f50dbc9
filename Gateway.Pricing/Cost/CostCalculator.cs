using Gateway.Pricing.Catalog;
using Gateway.Pricing.Usage;

namespace Gateway.Pricing.Cost;

/// <summary>Applies a model's price sheet to normalized token counts, in exact decimal arithmetic.</summary>
public static class CostCalculator
{
    private const decimal TokensPerPriceUnit = 1_000_000m;

    /// <summary>The USD cost of <paramref name="usage"/>, or null when the model is not in the catalog.</summary>
    /// <param name="usage">Normalized token counts.</param>
    /// <param name="model">The catalog resolution of the model.</param>
    /// <param name="batch">True for requests made through the provider's batch API.</param>
    public static decimal? Calculate(TokenUsage usage, ResolvedModel model, bool batch = false)
    {
        var price = model.Price;
        if (price is null)
        {
            return null;
        }

        // Long-context tiers apply to the whole request (input and output) once the full prompt,
        // cache reads and writes included, exceeds the threshold (Anthropic and Gemini both bill this way).
        var sheet = price.LongContext is not null && usage.TotalInputTokens > price.LongContextThreshold
            ? price.LongContext
            : price.Standard;

        var cacheRead = sheet.CacheRead ?? sheet.Input;
        var write5m = sheet.CacheWrite5m ?? sheet.Input;
        var write1h = sheet.CacheWrite1h ?? write5m;

        var total = (usage.InputTokens * sheet.Input)
            + (usage.CacheReadTokens * cacheRead)
            + (usage.CacheWrite5mTokens * write5m)
            + (usage.CacheWrite1hTokens * write1h)
            + (usage.OutputTokens * sheet.Output);
        total /= TokensPerPriceUnit;

        if (model.IsRegionalEndpoint && price.RegionalMultiplier is { } regional)
        {
            total *= regional;
        }

        if (batch && price.BatchDiscount is { } discount)
        {
            total *= 1m - discount;
        }

        return total;
    }
}
