namespace Gateway.Pricing.Catalog;

/// <summary>The result of looking a provider's model id up in the catalog.</summary>
/// <param name="Price">The model's prices, or null when unknown (unpriced).</param>
/// <param name="IsRegionalEndpoint">Bedrock regional endpoint (priced with the model's regional multiplier).</param>
public sealed record ResolvedModel(ModelPrice? Price, bool IsRegionalEndpoint)
{
    public static readonly ResolvedModel Unknown = new(null, false);

    public string? CatalogId => Price?.Id;
}
