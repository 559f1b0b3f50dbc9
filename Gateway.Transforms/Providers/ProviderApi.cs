namespace Gateway.Transforms.Providers;

/// <summary>The API a cluster speaks, from its <c>Provider</c> metadata.</summary>
public enum ProviderApi
{
    Anthropic,
    OpenAI,
    Gemini,
    Bedrock,

    /// <summary>The built-in mock: Anthropic and OpenAI shapes, chosen by path.</summary>
    Mock,
}

/// <summary>Parsing and naming of <see cref="ProviderApi"/> values.</summary>
public static class ProviderApis
{
    public const string MetadataKey = "Provider";

    public static bool TryParse(string? value, out ProviderApi api)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "anthropic": api = ProviderApi.Anthropic; return true;
            case "openai" or "openai-compatible": api = ProviderApi.OpenAI; return true;
            case "gemini": api = ProviderApi.Gemini; return true;
            case "bedrock": api = ProviderApi.Bedrock; return true;
            case "mock": api = ProviderApi.Mock; return true;
            default: api = default; return false;
        }
    }

    public static string Name(this ProviderApi api) => api switch
    {
        ProviderApi.Anthropic => "anthropic",
        ProviderApi.OpenAI => "openai",
        ProviderApi.Gemini => "gemini",
        ProviderApi.Bedrock => "bedrock",
        _ => "mock",
    };
}
