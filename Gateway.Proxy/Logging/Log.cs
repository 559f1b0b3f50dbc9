namespace Gateway.Proxy.Logging;

/// <summary>The gateway's log events; their names are the stable <c>event</c> values users query in Kibana.</summary>
internal static partial class Log
{
    // 1000 generation_success and 1001 generation_failed, once per request, are written by CompletionLog.

    [LoggerMessage(EventId = 1010, EventName = "unpriced_model", Level = LogLevel.Warning,
        Message = "Model {model:l} of {provider:l} is not in the pricing catalog: its requests are recorded as unpriced")]
    public static partial void UnpricedModel(ILogger logger, string provider, string model);

    [LoggerMessage(EventId = 1011, EventName = "usage_parse_failed", Level = LogLevel.Warning,
        Message = "Usage of a {provider:l} response could not be read ({shape:l}): {error:l}")]
    public static partial void UsageParseFailed(ILogger logger, string provider, string shape, string error);

    [LoggerMessage(EventId = 1020, EventName = "config_reloaded", Level = LogLevel.Information,
        Message = "Routes reloaded from {path:l}")]
    public static partial void ConfigReloaded(ILogger logger, string path);

    [LoggerMessage(EventId = 1021, EventName = "config_rejected", Level = LogLevel.Warning,
        Message = "Routes file {path:l} rejected, the last good configuration stays active: {reason:l}")]
    public static partial void ConfigRejected(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1030, EventName = "gateway_started", Level = LogLevel.Information,
        Message = "Gateway listening on {urls:l}; routes {routes:l}; provider keys {provider_keys:l}; rate limiting {rate_limit:l}")]
    public static partial void GatewayStarted(ILogger logger, string urls, string routes, string provider_keys, string rate_limit);

    [LoggerMessage(EventId = 1040, EventName = "observability_failed", Level = LogLevel.Error,
        Message = "Recording a completed request failed; the request itself was not affected")]
    public static partial void ObservabilityFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1050, EventName = "provider_health_changed", Level = LogLevel.Warning,
        Message = "{provider:l}/{destination:l} went from {from:l} to {to:l}: {reason:l}")]
    public static partial void ProviderHealthChanged(ILogger logger, string provider, string destination, string from, string to, string reason);

    [LoggerMessage(EventId = 1060, EventName = "provider_failed_fallback", Level = LogLevel.Warning,
        Message = "{provider:l} failed on attempt {attempt} ({error:l}); falling back to {fallback_provider:l}")]
    public static partial void ProviderFailedFallback(ILogger logger, string provider, int attempt, string error, int? status, string fallback_provider);

    [LoggerMessage(EventId = 1061, EventName = "fallback_success", Level = LogLevel.Information,
        Message = "{provider:l} served the request on attempt {attempt} after {original_provider:l} failed")]
    public static partial void FallbackSuccess(ILogger logger, string provider, int attempt, string original_provider);

    [LoggerMessage(EventId = 1062, EventName = "provider_failed", Level = LogLevel.Warning,
        Message = "{provider:l} failed on attempt {attempt} ({error:l}) after the response had started; not retried")]
    public static partial void ProviderFailedMidStream(ILogger logger, string provider, int attempt, string error);

    [LoggerMessage(EventId = 1070, EventName = "rate_limit_exceeded", Level = LogLevel.Warning,
        Message = "Rate limit {limit:l} exceeded on {endpoint:l} by {client_id:l}; retry after {retry_after} s")]
    public static partial void RateLimitExceeded(ILogger logger, string endpoint, string client_id, string limit, long retry_after);

    [LoggerMessage(EventId = 1071, EventName = "rate_limit_store_unavailable", Level = LogLevel.Error,
        Message = "The shared rate-limit store is unreachable; failing {mode:l} until it is back")]
    public static partial void RateLimitStoreUnavailable(ILogger logger, string mode, Exception exception);

    [LoggerMessage(EventId = 1072, EventName = "rate_limit_store_recovered", Level = LogLevel.Information,
        Message = "The shared rate-limit store is reachable again")]
    public static partial void RateLimitStoreRecovered(ILogger logger);

    [LoggerMessage(EventId = 1090, EventName = "access_local_only", Level = LogLevel.Warning,
        Message = "This gateway holds provider keys and no gateway keys are configured: only clients on 127.0.0.1 / ::1 are served. Set GATEWAY_API_KEYS to serve others, or GATEWAY_ALLOW_REMOTE=true to accept the risk.")]
    public static partial void AccessLocalOnly(ILogger logger);

    [LoggerMessage(EventId = 1091, EventName = "access_open", Level = LogLevel.Critical,
        Message = "GATEWAY_ALLOW_REMOTE=true and no gateway keys: anyone who reaches this gateway spends its provider keys.")]
    public static partial void AccessOpen(ILogger logger);

    [LoggerMessage(EventId = 1092, EventName = "access_keys", Level = LogLevel.Information,
        Message = "Gateway keys required: {key_count} configured")]
    public static partial void AccessKeys(ILogger logger, int key_count);
}
