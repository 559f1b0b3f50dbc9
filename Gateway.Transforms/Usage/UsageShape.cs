namespace Gateway.Transforms.Usage;

/// <summary>Which provider API a response body speaks; decides how reported token fields are billed.</summary>
public enum UsageShape
{
    /// <summary>No known usage shape: the body is passed through and not parsed.</summary>
    Unknown,

    /// <summary>Anthropic Messages (also Bedrock InvokeModel with Claude, whose body is Anthropic's).</summary>
    AnthropicMessages,

    /// <summary>OpenAI Chat Completions (and OpenAI-compatible servers).</summary>
    OpenAIChat,

    /// <summary>OpenAI Responses API.</summary>
    OpenAIResponses,

    /// <summary>OpenAI embeddings.</summary>
    OpenAIEmbeddings,

    /// <summary>Gemini generateContent / streamGenerateContent.</summary>
    Gemini,

    /// <summary>Bedrock Converse / ConverseStream.</summary>
    BedrockConverse,
}
