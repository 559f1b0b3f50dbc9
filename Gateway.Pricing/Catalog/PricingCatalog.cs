using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Gateway.Pricing.Catalog;

/// <summary>An immutable set of model prices with alias and normalized-id lookup.</summary>
public sealed class PricingCatalog
{
    private const int MaxCachedResolutions = 4096;
    private const string ResourceName = "Gateway.Pricing.pricing.json";

    private readonly FrozenDictionary<string, ModelPrice> _byProviderKey;
    private readonly FrozenDictionary<string, ModelPrice> _byKey;
    private readonly ConcurrentDictionary<(string Provider, string Model), ResolvedModel> _resolved = new();

    public PricingCatalog(IEnumerable<ModelPrice> models)
    {
        Models = models.ToArray();
        var byProviderKey = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var model in Models)
        {
            foreach (var key in model.Aliases.Prepend(model.Id))
            {
                var normalized = key.Trim().ToLowerInvariant();

                // Later entries win, so overrides appended after the shipped file replace its rows.
                byProviderKey[ProviderKey(model.Provider, normalized)] = model;
                byKey[normalized] = model;
            }
        }

        _byProviderKey = byProviderKey.ToFrozenDictionary(StringComparer.Ordinal);
        _byKey = byKey.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<ModelPrice> Models { get; }

    /// <summary>The catalog shipped inside this assembly (<c>Catalog/pricing.json</c>).</summary>
    public static PricingCatalog LoadDefault()
    {
        using var stream = typeof(PricingCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new PricingCatalog(PricingFileReader.Parse(buffer.ToArray(), "pricing.json (shipped)"));
    }

    /// <summary>A new catalog in which <paramref name="overrides"/> replace entries with the same id or alias.</summary>
    public PricingCatalog WithOverrides(IEnumerable<ModelPrice> overrides)
    {
        var list = overrides.ToList();
        if (list.Count == 0)
        {
            return this;
        }

        var replaced = list.Select(o => o.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new PricingCatalog(Models.Where(m => !replaced.Contains(m.Id)).Concat(list));
    }

    /// <summary>Finds the catalog entry for a model id reported by <paramref name="provider"/>.</summary>
    public ResolvedModel Resolve(string provider, string? modelId)
    {
        if (string.IsNullOrWhiteSpace(modelId))
        {
            return ResolvedModel.Unknown;
        }

        if (_resolved.TryGetValue((provider, modelId), out var cached))
        {
            return cached;
        }

        var resolved = ResolveUncached(provider, modelId);

        // Bounded: ids come from upstream responses and client bodies, so they are not trusted to be few.
        if (_resolved.Count < MaxCachedResolutions)
        {
            _resolved.TryAdd((provider, modelId), resolved);
        }

        return resolved;
    }

    private ResolvedModel ResolveUncached(string provider, string modelId)
    {
        var candidates = ModelIdNormalizer.Candidates(modelId, out var regional);
        var isBedrock = string.Equals(provider, "bedrock", StringComparison.OrdinalIgnoreCase);
        foreach (var candidate in candidates)
        {
            if (_byProviderKey.TryGetValue(ProviderKey(provider, candidate), out var exact))
            {
                return new ResolvedModel(exact, isBedrock && regional);
            }
        }

        foreach (var candidate in candidates)
        {
            if (_byKey.TryGetValue(candidate, out var any))
            {
                return new ResolvedModel(any, isBedrock && regional);
            }
        }

        return ResolvedModel.Unknown;
    }

    private static string ProviderKey(string provider, string model) => string.Concat(provider.ToLowerInvariant(), "/", model);
}
