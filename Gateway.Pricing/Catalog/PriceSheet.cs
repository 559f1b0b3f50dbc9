namespace Gateway.Pricing.Catalog;

/// <summary>USD per one million tokens for each billed token kind.</summary>
public sealed record PriceSheet
{
    public required decimal Input { get; init; }

    public required decimal Output { get; init; }

    /// <summary>Cache read price; null when the model has no prompt cache (then cached tokens bill as input).</summary>
    public decimal? CacheRead { get; init; }

    /// <summary>5-minute cache write price; null when the provider does not charge writes separately.</summary>
    public decimal? CacheWrite5m { get; init; }

    /// <summary>1-hour cache write price.</summary>
    public decimal? CacheWrite1h { get; init; }
}
