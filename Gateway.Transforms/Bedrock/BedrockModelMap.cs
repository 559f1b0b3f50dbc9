using Gateway.Pricing.Catalog;

namespace Gateway.Transforms.Bedrock;

/// <summary>
/// Which Bedrock model id serves an Anthropic model when a request falls back from Anthropic to Bedrock.
/// Keys are catalog ids (dated snapshots resolve to them); configuration (<c>Bedrock:ModelMap</c>) adds or replaces entries.
/// </summary>
public sealed class BedrockModelMap
{
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["claude-opus-4-5"] = "us.anthropic.claude-opus-4-5-20251101-v1:0",
        ["claude-opus-4-1"] = "us.anthropic.claude-opus-4-1-20250805-v1:0",
        ["claude-opus-4"] = "us.anthropic.claude-opus-4-20250514-v1:0",
        ["claude-sonnet-4-5"] = "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        ["claude-sonnet-4"] = "us.anthropic.claude-sonnet-4-20250514-v1:0",
        ["claude-3-7-sonnet"] = "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
        ["claude-3-5-sonnet"] = "anthropic.claude-3-5-sonnet-20241022-v2:0",
        ["claude-haiku-4-5"] = "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        ["claude-3-5-haiku"] = "us.anthropic.claude-3-5-haiku-20241022-v1:0",
        ["claude-3-haiku"] = "anthropic.claude-3-haiku-20240307-v1:0",
        ["claude-3-opus"] = "us.anthropic.claude-3-opus-20240229-v1:0",
    };

    private readonly Dictionary<string, string> _map;

    public BedrockModelMap(IReadOnlyDictionary<string, string>? overrides = null)
    {
        _map = new Dictionary<string, string>(Defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
        {
            _map[key] = value;
        }
    }

    /// <summary>The Bedrock id for an Anthropic model id, or null when none is mapped.</summary>
    public string? Resolve(string? anthropicModel)
    {
        if (string.IsNullOrWhiteSpace(anthropicModel))
        {
            return null;
        }

        if (_map.TryGetValue(anthropicModel, out var exact))
        {
            return exact;
        }

        foreach (var candidate in ModelIdNormalizer.Candidates(anthropicModel, out _))
        {
            if (_map.TryGetValue(candidate, out var mapped))
            {
                return mapped;
            }
        }

        return null;
    }
}
