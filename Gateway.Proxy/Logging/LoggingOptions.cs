using Serilog.Events;

namespace Gateway.Proxy.Logging;

/// <summary>The guide's <c>setup_structured_logging</c> options (section <c>Logging:Gateway</c>).</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "GatewayLogging";

    /// <summary>DEBUG, INFO, WARNING, ERROR or CRITICAL; env <c>GATEWAY_LOG_LEVEL</c> wins.</summary>
    /// <value>Default INFO.</value>
    public string Level { get; set; } = "INFO";

    /// <summary>Write JSON lines to standard output (for containers).</summary>
    /// <value>Default true.</value>
    public bool EnableConsole { get; set; } = true;

    /// <summary>Path of the current log file, or empty for no file.</summary>
    /// <value>Default <c>logs/gateway.log</c>.</value>
    public string? File { get; set; } = "logs/gateway.log";

    /// <summary>Log request and response bodies (sanitized, truncated); env <c>GATEWAY_LOG_REQUESTS</c> wins.</summary>
    /// <value>Default false.</value>
    public bool LogRequests { get; set; }

    /// <summary>Size limit for logged bodies, in bytes.</summary>
    /// <value>Default 4096.</value>
    public int MaxBodyLogBytes { get; set; } = 4096;

    public static bool TryParseLevel(string? value, out LogEventLevel level)
    {
        switch (value?.Trim().ToUpperInvariant())
        {
            case "DEBUG": level = LogEventLevel.Debug; return true;
            case "INFO" or "INFORMATION": level = LogEventLevel.Information; return true;
            case "WARNING" or "WARN": level = LogEventLevel.Warning; return true;
            case "ERROR": level = LogEventLevel.Error; return true;
            case "CRITICAL" or "FATAL": level = LogEventLevel.Fatal; return true;
            default: level = LogEventLevel.Information; return false;
        }
    }
}
