namespace Gateway.Proxy.Generate;

/// <summary>The unified endpoint's settings (section <c>Generate</c>).</summary>
public sealed class GenerateOptions
{
    public const string SectionName = "Generate";

    /// <summary>Providers (cluster ids) tried in order when a request names none.</summary>
    /// <value>Default <c>["mock"]</c>, so the endpoint answers offline; list real providers in production.</value>
    public List<string> DefaultChain { get; set; } = [];

    /// <summary>Per provider (cluster id): its default model.</summary>
    public Dictionary<string, GenerateProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Time-out of one upstream attempt, in seconds (the request's, not the stream's).</summary>
    /// <value>Default 600.</value>
    public int TimeoutSeconds { get; set; } = 600;
}

/// <summary>One provider's settings for the unified endpoint.</summary>
public sealed class GenerateProviderOptions
{
    public string? DefaultModel { get; set; }
}
