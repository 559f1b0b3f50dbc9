namespace Gateway.Proxy.Mock;

/// <summary>Behaviour of the built-in mock provider (section <c>Mock</c>).</summary>
public sealed class MockOptions
{
    public const string SectionName = "Mock";

    /// <summary>Delay before the response starts, in milliseconds.</summary>
    /// <value>Default 0.</value>
    public int DelayMs { get; set; }

    /// <summary>Delay between streamed events, in milliseconds.</summary>
    /// <value>Default 0.</value>
    public int StreamEventDelayMs { get; set; }

    /// <summary>Number of text deltas in a streamed answer.</summary>
    /// <value>Default 8.</value>
    public int StreamEvents { get; set; } = 8;

    /// <summary>Tokens reported as read from the prompt cache, to exercise cache pricing.</summary>
    /// <value>Default 0.</value>
    public int CacheReadTokens { get; set; }
}
