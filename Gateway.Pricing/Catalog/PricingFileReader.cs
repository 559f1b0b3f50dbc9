using System.Text.Json;

namespace Gateway.Pricing.Catalog;

/// <summary>Reads the pricing JSON format, failing with a message that names the offending key.</summary>
public static class PricingFileReader
{
    /// <summary>Parses a pricing document; <paramref name="sourceName"/> appears in error messages.</summary>
    /// <exception cref="PricingFormatException">The document is malformed; the message names the key.</exception>
    public static IReadOnlyList<ModelPrice> Parse(ReadOnlySpan<byte> json, string sourceName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new PricingFormatException($"{sourceName}: not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("models", out var models)
                || models.ValueKind != JsonValueKind.Array)
            {
                throw new PricingFormatException($"{sourceName}: 'models' must be an array");
            }

            var result = new List<ModelPrice>(models.GetArrayLength());
            var index = 0;
            foreach (var model in models.EnumerateArray())
            {
                result.Add(ReadModel(model, $"{sourceName}: models[{index}]"));
                index++;
            }

            return result;
        }
    }

    public static IReadOnlyList<ModelPrice> ParseFile(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new PricingFormatException($"{path}: cannot be read ({ex.Message})", ex);
        }

        return Parse(bytes, path);
    }

    private static ModelPrice ReadModel(JsonElement model, string where)
    {
        if (model.ValueKind != JsonValueKind.Object)
        {
            throw new PricingFormatException($"{where} must be an object");
        }

        var id = RequiredString(model, "id", where);
        where = $"{where} ('{id}')";
        var aliases = new List<string>();
        if (model.TryGetProperty("aliases", out var aliasArray))
        {
            if (aliasArray.ValueKind != JsonValueKind.Array)
            {
                throw new PricingFormatException($"{where}.aliases must be an array of strings");
            }

            foreach (var alias in aliasArray.EnumerateArray())
            {
                aliases.Add(alias.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(alias.GetString())
                    ? alias.GetString()!
                    : throw new PricingFormatException($"{where}.aliases must be an array of non-empty strings"));
            }
        }

        PriceSheet? longContext = null;
        long? threshold = null;
        if (model.TryGetProperty("long_context", out var lc))
        {
            if (lc.ValueKind != JsonValueKind.Object)
            {
                throw new PricingFormatException($"{where}.long_context must be an object");
            }

            longContext = ReadSheet(lc, $"{where}.long_context");
            threshold = lc.TryGetProperty("threshold_input_tokens", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetInt64(out var tv) && tv > 0
                ? tv
                : throw new PricingFormatException($"{where}.long_context.threshold_input_tokens must be a positive integer");
        }

        var batch = OptionalDecimal(model, "batch_discount", where);
        if (batch is < 0 or >= 1)
        {
            throw new PricingFormatException($"{where}.batch_discount must be in [0, 1)");
        }

        var regional = OptionalDecimal(model, "regional_multiplier", where);
        if (regional is <= 0)
        {
            throw new PricingFormatException($"{where}.regional_multiplier must be positive");
        }

        return new ModelPrice
        {
            Id = id,
            Provider = RequiredString(model, "provider", where),
            Aliases = aliases,
            Standard = ReadSheet(model, where),
            LongContext = longContext,
            LongContextThreshold = threshold,
            BatchDiscount = batch,
            RegionalMultiplier = regional,
            PriceDate = OptionalString(model, "price_date"),
            Source = OptionalString(model, "source"),
        };
    }

    private static PriceSheet ReadSheet(JsonElement element, string where) => new()
    {
        Input = OptionalDecimal(element, "input", where) ?? throw new PricingFormatException($"{where}.input is required"),
        Output = OptionalDecimal(element, "output", where) ?? throw new PricingFormatException($"{where}.output is required"),
        CacheRead = OptionalDecimal(element, "cache_read", where),
        CacheWrite5m = OptionalDecimal(element, "cache_write_5m", where),
        CacheWrite1h = OptionalDecimal(element, "cache_write_1h", where),
    };

    private static string RequiredString(JsonElement element, string name, string where) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new PricingFormatException($"{where}.{name} must be a non-empty string");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static decimal? OptionalDecimal(JsonElement element, string name, string where)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d >= 0
            ? d
            : throw new PricingFormatException($"{where}.{name} must be a non-negative number (USD per 1M tokens)");
    }
}
