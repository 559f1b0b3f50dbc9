namespace Gateway.Pricing.Catalog;

/// <summary>One model's prices: base sheet, optional long-context tier, batch discount and provenance.</summary>
public sealed record ModelPrice
{
    /// <summary>Canonical catalog id (<c>claude-sonnet-4-5</c>); the value of the <c>model</c> metric label.</summary>
    public required string Id { get; init; }

    public required string Provider { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required PriceSheet Standard { get; init; }

    /// <summary>Prompts whose total input exceeds <see cref="LongContextThreshold"/> bill every token at this sheet.</summary>
    public PriceSheet? LongContext { get; init; }

    public long? LongContextThreshold { get; init; }

    /// <summary>Fraction taken off by the provider's batch API (0.5 = half price); null where none is published.</summary>
    public decimal? BatchDiscount { get; init; }

    /// <summary>Multiplier for regional (non-global) endpoints, e.g. 1.1 for Bedrock regional Claude 4.5 endpoints.</summary>
    public decimal? RegionalMultiplier { get; init; }

    public string? PriceDate { get; init; }

    public string? Source { get; init; }
}
