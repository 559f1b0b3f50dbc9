using System.Globalization;
using Gateway.Pricing.Catalog;

namespace Gateway.Proxy.Costs;

/// <summary>
/// Reads price overrides from configuration: <c>Pricing:Overrides:{modelId}:{Provider|Input|Output|CacheRead|CacheWrite5m|CacheWrite1h|Aliases}</c>
/// and the file named by <c>Pricing:OverrideFile</c> (same format as the shipped pricing.json).
/// </summary>
internal static class PricingOverrides
{
    public const string SectionName = "Pricing";

    /// <exception cref="PricingFormatException">An override is malformed; the message names the key.</exception>
    public static IReadOnlyList<ModelPrice> Load(IConfiguration configuration, string contentRoot)
    {
        var section = configuration.GetSection(SectionName);
        var result = new List<ModelPrice>();
        var file = OverrideFilePath(configuration, contentRoot);
        if (file is not null)
        {
            result.AddRange(PricingFileReader.ParseFile(file));
        }

        foreach (var model in section.GetSection("Overrides").GetChildren())
        {
            var where = $"Pricing:Overrides:{model.Key}";
            result.Add(new ModelPrice
            {
                Id = model.Key,
                Provider = model["Provider"] ?? "custom",
                Aliases = model.GetSection("Aliases").GetChildren().Select(a => a.Value!).Where(a => !string.IsNullOrWhiteSpace(a)).ToArray(),
                Standard = new PriceSheet
                {
                    Input = Price(model, "Input", where) ?? throw new PricingFormatException($"{where}:Input is required"),
                    Output = Price(model, "Output", where) ?? throw new PricingFormatException($"{where}:Output is required"),
                    CacheRead = Price(model, "CacheRead", where),
                    CacheWrite5m = Price(model, "CacheWrite5m", where),
                    CacheWrite1h = Price(model, "CacheWrite1h", where),
                },
                Source = "configuration",
            });
        }

        return result;
    }

    public static string? OverrideFilePath(IConfiguration configuration, string contentRoot)
    {
        var file = configuration[$"{SectionName}:OverrideFile"];
        return string.IsNullOrWhiteSpace(file) ? null : Path.GetFullPath(file, contentRoot);
    }

    private static decimal? Price(IConfigurationSection model, string key, string where)
    {
        var text = model[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new PricingFormatException($"{where}:{key} '{text}' is not a non-negative number (USD per 1M tokens)");
    }
}
