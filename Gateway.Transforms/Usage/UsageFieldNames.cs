namespace Gateway.Transforms.Usage;

/// <summary>Maps JSON property names (UTF-8) to usage slots without allocating.</summary>
internal static class UsageFieldNames
{
    public static bool TryMap(ReadOnlySpan<byte> name, out UsageField field)
    {
        field = name switch
        {
            _ when name.SequenceEqual("input_tokens"u8) => UsageField.InputTokens,
            _ when name.SequenceEqual("output_tokens"u8) => UsageField.OutputTokens,
            _ when name.SequenceEqual("cache_creation_input_tokens"u8) => UsageField.CacheCreationInputTokens,
            _ when name.SequenceEqual("cache_read_input_tokens"u8) => UsageField.CacheReadInputTokens,
            _ when name.SequenceEqual("ephemeral_5m_input_tokens"u8) => UsageField.Ephemeral5mInputTokens,
            _ when name.SequenceEqual("ephemeral_1h_input_tokens"u8) => UsageField.Ephemeral1hInputTokens,
            _ when name.SequenceEqual("prompt_tokens"u8) => UsageField.PromptTokens,
            _ when name.SequenceEqual("completion_tokens"u8) => UsageField.CompletionTokens,
            _ when name.SequenceEqual("cached_tokens"u8) => UsageField.CachedTokens,
            _ when name.SequenceEqual("reasoning_tokens"u8) => UsageField.ReasoningTokens,
            _ when name.SequenceEqual("promptTokenCount"u8) => UsageField.PromptTokenCount,
            _ when name.SequenceEqual("candidatesTokenCount"u8) => UsageField.CandidatesTokenCount,
            _ when name.SequenceEqual("thoughtsTokenCount"u8) => UsageField.ThoughtsTokenCount,
            _ when name.SequenceEqual("cachedContentTokenCount"u8) => UsageField.CachedContentTokenCount,
            _ when name.SequenceEqual("toolUsePromptTokenCount"u8) => UsageField.ToolUsePromptTokenCount,
            _ when name.SequenceEqual("inputTokens"u8) => UsageField.ConverseInputTokens,
            _ when name.SequenceEqual("outputTokens"u8) => UsageField.ConverseOutputTokens,
            _ when name.SequenceEqual("cacheReadInputTokens"u8) => UsageField.ConverseCacheReadInputTokens,
            _ when name.SequenceEqual("cacheWriteInputTokens"u8) => UsageField.ConverseCacheWriteInputTokens,
            _ when name.SequenceEqual("inputTokenCount"u8) => UsageField.MetricInputTokenCount,
            _ when name.SequenceEqual("outputTokenCount"u8) => UsageField.MetricOutputTokenCount,
            _ when name.SequenceEqual("cacheReadInputTokenCount"u8) => UsageField.MetricCacheReadInputTokenCount,
            _ when name.SequenceEqual("cacheWriteInputTokenCount"u8) => UsageField.MetricCacheWriteInputTokenCount,
            _ => UsageField.Count,
        };
        return field != UsageField.Count;
    }

    /// <summary>Property names whose object value holds token counts.</summary>
    public static bool IsUsageContainer(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("usage"u8) || name.SequenceEqual("usageMetadata"u8) || name.SequenceEqual("amazon-bedrock-invocationMetrics"u8);

    /// <summary>Property names whose string value is the model that answered.</summary>
    public static bool IsModel(ReadOnlySpan<byte> name) => name.SequenceEqual("model"u8) || name.SequenceEqual("modelVersion"u8);
}
