using System.Text;
using Gateway.Proxy.Sanitization;

namespace Gateway.Proxy.Logging;

/// <summary>
/// <c>GATEWAY_LOG_REQUESTS</c>: one <c>request_logged</c> event per proxied request with its headers and the
/// first bytes of both bodies, sanitized (sensitive header names and JSON keys redacted, PII patterns redacted)
/// and truncated to <c>MaxBodyLogBytes</c>. Off by default.
/// </summary>
public sealed class BodyLogger
{
    private readonly LoggingOptions _options;
    private readonly Sanitizer _sanitizer;
    private readonly ILogger<BodyLogger> _logger;

    public BodyLogger(LoggingOptions options, Sanitizer sanitizer, ILogger<BodyLogger> logger)
    {
        _options = options;
        _sanitizer = sanitizer;
        _logger = logger;
    }

    public bool Enabled => _options.LogRequests;

    /// <summary>Response bytes to keep: a little more than logged, so a truncated JSON still parses often.</summary>
    public int CaptureBytes => _options.LogRequests ? Math.Max(_options.MaxBodyLogBytes, 1) * 2 : 0;

    public void Log(HttpContext context, MemoryStream? requestBody, ReadOnlySpan<byte> responseBody)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in context.Request.Headers)
        {
            headers[name] = Sanitizer.IsSensitiveKey(name) ? _sanitizer.Redacted("SECRET") : _sanitizer.Sanitize(value.ToString());
        }

        string? request = null;
        if (requestBody is not null)
        {
            var length = (int)Math.Min(requestBody.Length, CaptureBytes);
            request = Clean(requestBody.GetBuffer().AsSpan(0, length));
        }

        // Logged with its own state so Serilog keeps the headers structured ("@" asks it to destructure).
        var state = new List<KeyValuePair<string, object?>>
        {
            new("method", context.Request.Method),
            new("path", context.Request.Path.Value ?? "/"),
            new("status", context.Response.StatusCode),
            new("@request_headers", headers),
            new("request_body", request),
            new("response_body", responseBody.IsEmpty ? null : Clean(responseBody)),
            new("{OriginalFormat}", "{method:l} {path:l} -> {status}"),
        };
        _logger.Log(LogLevel.Information, RequestLoggedEvent, state, null, static (s, _) => $"{s[0].Value} {s[1].Value} -> {s[2].Value}");
    }

    private static readonly EventId RequestLoggedEvent = new(1080, "request_logged");

    private string Clean(ReadOnlySpan<byte> bytes)
    {
        var text = _sanitizer.SanitizeJson(Encoding.UTF8.GetString(bytes));
        return text.Length <= _options.MaxBodyLogBytes ? text : text[.._options.MaxBodyLogBytes] + "…[truncated]";
    }
}
