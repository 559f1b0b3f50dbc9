namespace Gateway.Pricing.Usage;

/// <summary>Token counts of one request, normalized so that each field is billed at exactly one rate.</summary>
/// <remarks>
/// Providers report overlapping numbers (OpenAI's <c>prompt_tokens</c> includes cached tokens, Anthropic's
/// <c>input_tokens</c> excludes them). Parsers translate into this shape, where the fields never overlap:
/// <see cref="InputTokens"/> is the prompt billed at the plain input rate only.
/// </remarks>
public readonly record struct TokenUsage
{
    /// <summary>Prompt tokens billed at the input rate (no cache reads, no cache writes).</summary>
    public long InputTokens { get; init; }

    /// <summary>Prompt tokens served from the prompt cache.</summary>
    public long CacheReadTokens { get; init; }

    /// <summary>Prompt tokens written to a 5-minute cache (Anthropic's default TTL).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Prompt tokens written to a 1-hour cache.</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>All generated tokens, reasoning/thinking included: billed at the output rate.</summary>
    public long OutputTokens { get; init; }

    /// <summary>The part of <see cref="OutputTokens"/> that was reasoning (informational; already in output).</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Every prompt token the model read: input, cache reads and cache writes.</summary>
    public long TotalInputTokens => InputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens;

    /// <summary>Prompt tokens written to any cache.</summary>
    public long CacheWriteTokens => CacheWrite5mTokens + CacheWrite1hTokens;

    public long TotalTokens => TotalInputTokens + OutputTokens;

    public bool IsEmpty => TotalTokens == 0;
}
