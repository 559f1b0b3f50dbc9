using System.Text.RegularExpressions;

namespace Gateway.Pricing.Catalog;

/// <summary>Turns provider model ids (dated snapshots, Bedrock ids, <c>models/</c> names) into catalog lookup keys.</summary>
public static partial class ModelIdNormalizer
{
    /// <summary>
    /// The lookup keys for <paramref name="rawModelId"/>, most specific first: the id as given (cleaned), then without
    /// its date or version suffix.
    /// </summary>
    /// <param name="rawModelId">A model id as a provider or client wrote it.</param>
    /// <param name="isRegionalEndpoint">True for Bedrock ids that do not use the <c>global.</c> inference profile.</param>
    public static IReadOnlyList<string> Candidates(string rawModelId, out bool isRegionalEndpoint)
    {
        var id = rawModelId.Trim().ToLowerInvariant();

        // Vertex/Gemini resource names and Bedrock ARNs: the model is the last path segment.
        var slash = id.LastIndexOf('/');
        if (slash >= 0)
        {
            id = id[(slash + 1)..];
        }

        isRegionalEndpoint = false;
        var geo = GeoPrefix().Match(id);
        if (geo.Success)
        {
            isRegionalEndpoint = geo.Groups[1].Value != "global";
            id = id[geo.Length..];
        }

        var vendor = VendorPrefix().Match(id);
        if (vendor.Success)
        {
            // A vendor-qualified id without a geo prefix is a Bedrock in-region call: a regional endpoint.
            isRegionalEndpoint |= !geo.Success;
            id = id[vendor.Length..];
        }

        id = BedrockVersionSuffix().Replace(id, string.Empty);
        id = VertexDateSuffix().Replace(id, string.Empty);

        var candidates = new List<string>(3) { id };
        var undated = DateSuffix().Replace(id, string.Empty);
        AddDistinct(candidates, undated);
        AddDistinct(candidates, ReleaseSuffix().Replace(undated, string.Empty));
        return candidates;
    }

    private static void AddDistinct(List<string> list, string value)
    {
        if (value.Length > 0 && !list.Contains(value))
        {
            list.Add(value);
        }
    }

    [GeneratedRegex(@"^(us|eu|apac|jp|au|ca|us-gov|global)\.(?=[a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex GeoPrefix();

    [GeneratedRegex(@"^(anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer)\.", RegexOptions.CultureInvariant)]
    private static partial Regex VendorPrefix();

    [GeneratedRegex(@"(-v\d+)?(:\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex BedrockVersionSuffix();

    [GeneratedRegex(@"@\d{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex VertexDateSuffix();

    // Anthropic 20250929, OpenAI 2024-08-06.
    [GeneratedRegex(@"-(\d{8}|\d{4}-\d{2}-\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex DateSuffix();

    // Gemini -001 / -latest / -preview-05-20 / -preview-09-2025.
    [GeneratedRegex(@"-(latest|\d{3}|preview(-\d{2}-\d{2,4})?|exp(-\d{2}-\d{2,4})?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseSuffix();
}
