using System.Collections.Concurrent;
using Gateway.Pricing.Catalog;
using Gateway.Pricing.Usage;

namespace Gateway.Pricing.Cost;

/// <summary>Prices usage against the shipped catalog plus overrides (configuration, override file, code).</summary>
/// <remarks>Thread-safe: the effective catalog is an immutable snapshot swapped atomically.</remarks>
public sealed class CostService
{
    private const int MaxRememberedUnpriced = 1024;

    private readonly PricingCatalog _shipped;
    private readonly ConcurrentDictionary<string, byte> _warnedUnpriced = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private IReadOnlyList<ModelPrice> _configured = [];
    private IReadOnlyList<ModelPrice> _programmatic = [];
    private volatile PricingCatalog _effective;

    public CostService(PricingCatalog shipped)
    {
        _shipped = shipped;
        _effective = shipped;
    }

    /// <summary>Raised once per unknown model (bounded), so the host can warn about it.</summary>
    public event Action<string, string>? UnpricedModelSeen;

    public PricingCatalog Catalog => _effective;

    /// <summary>Adds or replaces a model's price at run time (the guide's <c>add_model_pricing</c>).</summary>
    public void AddModelPricing(
        string modelId,
        decimal inputPricePer1M,
        decimal outputPricePer1M,
        string provider = "custom",
        decimal? cacheReadPricePer1M = null,
        decimal? cacheWritePricePer1M = null,
        IReadOnlyList<string>? aliases = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentOutOfRangeException.ThrowIfNegative(inputPricePer1M);
        ArgumentOutOfRangeException.ThrowIfNegative(outputPricePer1M);
        var price = new ModelPrice
        {
            Id = modelId,
            Provider = provider,
            Aliases = aliases ?? [],
            Standard = new PriceSheet
            {
                Input = inputPricePer1M,
                Output = outputPricePer1M,
                CacheRead = cacheReadPricePer1M,
                CacheWrite5m = cacheWritePricePer1M,
            },
            Source = "runtime",
        };
        lock (_gate)
        {
            _programmatic = _programmatic.Where(p => !string.Equals(p.Id, modelId, StringComparison.OrdinalIgnoreCase)).Append(price).ToArray();
            Rebuild();
        }
    }

    /// <summary>Replaces the overrides that come from configuration and the override file (on each reload).</summary>
    public void SetConfiguredOverrides(IReadOnlyList<ModelPrice> overrides)
    {
        lock (_gate)
        {
            _configured = overrides;
            Rebuild();
        }
    }

    /// <summary>Resolves the model and prices the usage; cost is null when the model is unknown.</summary>
    public (ResolvedModel Model, decimal? Cost) Price(string provider, string? modelId, TokenUsage usage)
    {
        var resolved = _effective.Resolve(provider, modelId);
        if (resolved.Price is null && !string.IsNullOrEmpty(modelId) && _warnedUnpriced.Count < MaxRememberedUnpriced
            && _warnedUnpriced.TryAdd(modelId, 0))
        {
            UnpricedModelSeen?.Invoke(provider, modelId);
        }

        return (resolved, CostCalculator.Calculate(usage, resolved));
    }

    private void Rebuild()
    {
        // Programmatic overrides come last so they win over configured ones, which win over the shipped file.
        _effective = _shipped.WithOverrides(_configured.Concat(_programmatic));
    }
}
