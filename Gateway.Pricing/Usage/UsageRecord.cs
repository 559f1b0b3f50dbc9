namespace Gateway.Pricing.Usage;

/// <summary>Whether a usage record is what the provider reported, or what was seen before the body ended early.</summary>
public enum UsageCompleteness
{
    /// <summary>No usage was found in the response (errors, unknown shapes).</summary>
    None,

    /// <summary>The provider's final usage was read.</summary>
    Reported,

    /// <summary>The body ended early (client abort, upstream drop): counts are what was seen so far.</summary>
    Partial,
}

/// <summary>The usage and cost of one proxied request, as handed to metrics, traces, logs and the ledger.</summary>
/// <param name="Provider">The provider that served the request (<c>anthropic</c>, <c>openai</c>, ...).</param>
/// <param name="Model">The model as the response reported it (raw, e.g. a dated snapshot).</param>
/// <param name="CatalogModelId">The catalog id the model resolved to, or null when unknown.</param>
/// <param name="Usage">Normalized token counts.</param>
/// <param name="Cost">Cost in USD, or null when the model is unpriced.</param>
/// <param name="Completeness">Reported, partial, or none.</param>
/// <param name="CorrelationId">The request's correlation id.</param>
/// <param name="SessionId">The request's session id, if any.</param>
public sealed record UsageRecord(
    string Provider,
    string? Model,
    string? CatalogModelId,
    TokenUsage Usage,
    decimal? Cost,
    UsageCompleteness Completeness,
    string CorrelationId,
    string? SessionId)
{
    public bool IsPriced => Cost.HasValue;
}
