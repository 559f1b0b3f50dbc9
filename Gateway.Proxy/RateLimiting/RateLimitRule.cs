using System.Globalization;

namespace Gateway.Proxy.RateLimiting;

/// <summary>A limit such as <c>100/minute</c>: a count per fixed window.</summary>
public sealed record RateLimitRule(long Count, TimeSpan Window)
{
    public override string ToString() => $"{Count}/{UnitName(Window)}";

    /// <summary>Parses <c>N/second|minute|hour|day</c> (plural units accepted).</summary>
    public static bool TryParse(string? text, out RateLimitRule? rule)
    {
        rule = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('/', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return false;
        }

        TimeSpan? window = parts[1].ToLowerInvariant() switch
        {
            "second" or "seconds" or "s" => TimeSpan.FromSeconds(1),
            "minute" or "minutes" or "m" => TimeSpan.FromMinutes(1),
            "hour" or "hours" or "h" => TimeSpan.FromHours(1),
            "day" or "days" or "d" => TimeSpan.FromDays(1),
            _ => null,
        };
        if (window is null)
        {
            return false;
        }

        rule = new RateLimitRule(count, window.Value);
        return true;
    }

    /// <summary>Parses or throws naming the setting, for start-up validation.</summary>
    public static RateLimitRule Parse(string? text, string settingName) =>
        TryParse(text, out var rule)
            ? rule!
            : throw new InvalidOperationException($"{settingName} '{text}' is not a rate limit: expected N/second, N/minute, N/hour or N/day (N a positive integer).");

    private static string UnitName(TimeSpan window) => window.TotalSeconds switch
    {
        1 => "second",
        60 => "minute",
        3600 => "hour",
        _ => "day",
    };
}
