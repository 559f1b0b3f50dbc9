using StackExchange.Redis;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Fixed windows shared by every gateway instance through Redis. Each take is one Lua script, so the check and
/// the increment are atomic across instances: a limit of 10/minute admits exactly 10 requests in total.
/// </summary>
internal sealed class RedisRateLimitStore : IRateLimitStore, IDisposable
{
    private const string AcquireScript = """
        local limit = tonumber(ARGV[1])
        local cost = tonumber(ARGV[2])
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        if current + cost > limit then
          return {0, current}
        end
        current = redis.call('INCRBY', KEYS[1], cost)
        if current == cost then
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
        end
        return {1, current}
        """;

    private const string AdjustScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          local value = redis.call('INCRBY', KEYS[1], ARGV[1])
          if value < 0 then redis.call('SET', KEYS[1], 0, 'KEEPTTL') end
        end
        return 1
        """;

    private readonly ConnectionMultiplexer _redis;

    public RedisRateLimitStore(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);

        // Never block start-up or a request on an absent Redis: reconnect in the background, fail fast meanwhile.
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 1000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 1000);
        options.ConnectRetry = 1;
        _redis = ConnectionMultiplexer.Connect(options);
    }

    public async ValueTask<RateLimitDecision> TryAcquireAsync(string key, long limit, TimeSpan window, long cost, DateTimeOffset now)
    {
        var windowId = now.UtcTicks / window.Ticks;
        var resetAfter = TimeSpan.FromTicks(((windowId + 1) * window.Ticks) - now.UtcTicks);
        var ttlMs = (long)(resetAfter.TotalMilliseconds + 1000);
        try
        {
            var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(
                AcquireScript, [RedisKeyFor(key, windowId)], [limit, cost, ttlMs]))!;
            var allowed = (long)result[0] == 1;
            var current = (long)result[1];
            return new RateLimitDecision(allowed, limit, Math.Max(0, limit - current), resetAfter, windowId);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new RateLimitStoreUnavailableException("Redis is unreachable for rate limiting", ex);
        }
    }

    public async ValueTask AdjustAsync(string key, TimeSpan window, long windowId, long delta)
    {
        if (delta == 0)
        {
            return;
        }

        try
        {
            await _redis.GetDatabase().ScriptEvaluateAsync(AdjustScript, [RedisKeyFor(key, windowId)], [delta]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            throw new RateLimitStoreUnavailableException("Redis is unreachable for rate limiting", ex);
        }
    }

    public void Dispose() => _redis.Dispose();

    private static RedisKey RedisKeyFor(string key, long windowId) => $"gateway:rl:{key}:{windowId}";
}
