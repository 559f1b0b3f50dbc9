namespace Gateway.Proxy.Sanitization;

/// <summary>PII sanitization settings (section <c>Sanitization</c>).</summary>
public sealed class SanitizerOptions
{
    public const string SectionName = "Sanitization";

    /// <summary>Keep the first and last characters of keys and tokens (<c>sk-an...123</c>). Default true.</summary>
    public bool PartialRedaction { get; set; } = true;

    /// <summary>Redact IPv4/IPv6 addresses too. Default false.</summary>
    public bool RedactIpAddresses { get; set; }

    /// <summary>Replaces every typed label (<c>[REDACTED_EMAIL]</c> ...) when set, e.g. <c>[PRIVATE]</c>.</summary>
    public string? RedactionText { get; set; }

    /// <summary>Extra patterns: name → regular expression; matches become <c>[REDACTED_NAME]</c>.</summary>
    public Dictionary<string, string> CustomPatterns { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
