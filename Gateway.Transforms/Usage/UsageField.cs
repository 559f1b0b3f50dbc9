namespace Gateway.Transforms.Usage;

/// <summary>Token fields that providers report, by their JSON leaf name; slots of <see cref="UsageAccumulator"/>.</summary>
internal enum UsageField
{
    InputTokens,
    OutputTokens,
    CacheCreationInputTokens,
    CacheReadInputTokens,
    Ephemeral5mInputTokens,
    Ephemeral1hInputTokens,
    PromptTokens,
    CompletionTokens,
    CachedTokens,
    ReasoningTokens,
    PromptTokenCount,
    CandidatesTokenCount,
    ThoughtsTokenCount,
    CachedContentTokenCount,
    ToolUsePromptTokenCount,
    ConverseInputTokens,
    ConverseOutputTokens,
    ConverseCacheReadInputTokens,
    ConverseCacheWriteInputTokens,
    MetricInputTokenCount,
    MetricOutputTokenCount,
    MetricCacheReadInputTokenCount,
    MetricCacheWriteInputTokenCount,
    Count,
}
