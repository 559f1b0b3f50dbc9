namespace Gateway.Proxy.RateLimiting;

/// <summary>Atomic fixed-window counters, in memory or shared through Redis.</summary>
public interface IRateLimitStore
{
    /// <summary>Takes <paramref name="cost"/> from the window of <paramref name="key"/> if it fits under <paramref name="limit"/>.</summary>
    ValueTask<RateLimitDecision> TryAcquireAsync(string key, long limit, TimeSpan window, long cost, DateTimeOffset now);

    /// <summary>Adds <paramref name="delta"/> (possibly negative) to a window taken from earlier (token budget settlement).</summary>
    ValueTask AdjustAsync(string key, TimeSpan window, long windowId, long delta);
}
