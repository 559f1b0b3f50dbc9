using Serilog.Events;

namespace Gateway.Proxy.Logging;

/// <summary>The guide's <c>setup_structured_logging</c> options as a typed section (<c>GatewayLogging</c>).</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "GatewayLogging";

    /// <summary>DEBUG, INFO, WARNING, ERROR or CRITICAL; env <c>GATEWAY_LOG_LEVEL</c> wins. Default INFO.</summary>
    public string Level { get; set; } = "INFO";

    /// <summary>Write lines to standard output (containers). Default true.</summary>
    public bool EnableConsole { get; set; } = true;

    /// <summary>The current log file (Filebeat reads it), or empty for none. Default <c>logs/gateway.log</c>.</summary>
    public string? File { get; set; } = "logs/gateway.log";

    /// <summary>One JSON object per line; false gives plain text lines. Default true.</summary>
    public bool JsonFormat { get; set; } = true;

    /// <summary>Rotate the file by size and keep a daily file. Default true.</summary>
    public bool EnableRotation { get; set; } = true;

    /// <summary>Size at which <c>gateway.log</c> rotates. Default 10 MB.</summary>
    public long MaxBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Numbered backups kept (<c>gateway.log.1</c> … <c>.N</c>). Default 5.</summary>
    public int BackupCount { get; set; } = 5;

    /// <summary>Dated daily files kept (<c>gateway.daily.log.YYYY-MM-DD</c>). Default 30.</summary>
    public int DailyRetentionDays { get; set; } = 30;

    /// <summary>Sanitize PII and secrets in every line. Default true.</summary>
    public bool Sanitize { get; set; } = true;

    /// <summary>Add <c>trace_id</c> and <c>span_id</c> to every line. Default true.</summary>
    public bool IncludeTraceInfo { get; set; } = true;

    /// <summary>Log request and response bodies (sanitized, truncated); env <c>GATEWAY_LOG_REQUESTS</c> wins. Default false.</summary>
    public bool LogRequests { get; set; }

    /// <summary>Size limit for logged bodies, in bytes. Default 4096.</summary>
    public int MaxBodyLogBytes { get; set; } = 4096;

    /// <summary>Lines queued for the sinks before new ones are dropped (and counted). Default 10,000.</summary>
    public int QueueLimit { get; set; } = 10_000;

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

    /// <summary>Reads the section and the guide's env vars; a bad value fails naming it.</summary>
    public static LoggingOptions FromConfiguration(IConfiguration configuration)
    {
        var options = configuration.GetSection(SectionName).Get<LoggingOptions>() ?? new LoggingOptions();
        var level = configuration["GATEWAY_LOG_LEVEL"];
        if (level is not null)
        {
            options.Level = level;
        }

        if (!TryParseLevel(options.Level, out _))
        {
            throw new InvalidOperationException($"GATEWAY_LOG_LEVEL / {SectionName}:Level '{options.Level}' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL.");
        }

        var logRequests = configuration["GATEWAY_LOG_REQUESTS"];
        if (logRequests is not null)
        {
            options.LogRequests = bool.TryParse(logRequests, out var value) ? value
                : throw new InvalidOperationException($"GATEWAY_LOG_REQUESTS '{logRequests}' is not true or false.");
        }

        if (options.MaxBytes < 1024 || options.BackupCount < 0 || options.DailyRetentionDays < 1 || options.MaxBodyLogBytes < 0 || options.QueueLimit < 1)
        {
            throw new InvalidOperationException($"{SectionName}: MaxBytes must be at least 1024, BackupCount and MaxBodyLogBytes not negative, DailyRetentionDays and QueueLimit at least 1.");
        }

        return options;
    }
}
