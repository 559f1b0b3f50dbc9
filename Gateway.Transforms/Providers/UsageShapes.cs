using Gateway.Transforms.Usage;

namespace Gateway.Transforms.Providers;

/// <summary>Which usage shape a provider path returns, decided once per request from the path alone.</summary>
public static class UsageShapes
{
    public static UsageShape Detect(ProviderApi api, ReadOnlySpan<char> path)
    {
        return api switch
        {
            ProviderApi.Anthropic => Anthropic(path),
            ProviderApi.OpenAI => OpenAI(path),
            ProviderApi.Gemini => path.Contains(":generateContent", StringComparison.Ordinal) || path.Contains(":streamGenerateContent", StringComparison.Ordinal)
                ? UsageShape.Gemini
                : UsageShape.Unknown,
            ProviderApi.Bedrock => Bedrock(path),
            _ => Anthropic(path) is var a && a != UsageShape.Unknown ? a : OpenAI(path),
        };
    }

    /// <summary>The model id in a Bedrock runtime path (<c>/model/{modelId}/invoke</c>), URL-decoded.</summary>
    public static string? BedrockModelFromPath(string path)
    {
        const string Prefix = "/model/";
        var start = path.IndexOf(Prefix, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Prefix.Length;
        var end = path.IndexOf('/', start);
        return end <= start ? null : Uri.UnescapeDataString(path[start..end]);
    }

    private static UsageShape Anthropic(ReadOnlySpan<char> path) =>
        path.EndsWith("/messages", StringComparison.Ordinal) ? UsageShape.AnthropicMessages : UsageShape.Unknown;

    private static UsageShape OpenAI(ReadOnlySpan<char> path) => path switch
    {
        _ when path.EndsWith("/chat/completions", StringComparison.Ordinal) => UsageShape.OpenAIChat,
        _ when path.EndsWith("/completions", StringComparison.Ordinal) => UsageShape.OpenAIChat,
        _ when path.EndsWith("/responses", StringComparison.Ordinal) => UsageShape.OpenAIResponses,
        _ when path.EndsWith("/embeddings", StringComparison.Ordinal) => UsageShape.OpenAIEmbeddings,
        _ => UsageShape.Unknown,
    };

    private static UsageShape Bedrock(ReadOnlySpan<char> path) => path switch
    {
        _ when path.EndsWith("/invoke", StringComparison.Ordinal) || path.EndsWith("/invoke-with-response-stream", StringComparison.Ordinal) => UsageShape.AnthropicMessages,
        _ when path.EndsWith("/converse", StringComparison.Ordinal) || path.EndsWith("/converse-stream", StringComparison.Ordinal) => UsageShape.BedrockConverse,
        _ => UsageShape.Unknown,
    };
}
