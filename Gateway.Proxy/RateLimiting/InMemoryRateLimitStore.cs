using System.Collections.Concurrent;

namespace Gateway.Proxy.RateLimiting;

/// <summary>Per-instance fixed windows; stale windows are swept so memory follows the active clients only.</summary>
internal sealed class InMemoryRateLimitStore : IRateLimitStore
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private int _operations;

    public ValueTask<RateLimitDecision> TryAcquireAsync(string key, long limit, TimeSpan window, long cost, DateTimeOffset now)
    {
        var windowId = now.UtcTicks / window.Ticks;
        var resetAfter = TimeSpan.FromTicks(((windowId + 1) * window.Ticks) - now.UtcTicks);
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        RateLimitDecision decision;
        lock (counter)
        {
            if (counter.WindowId != windowId)
            {
                counter.WindowId = windowId;
                counter.Count = 0;
            }

            counter.Expires = (windowId + 1) * window.Ticks;
            if (counter.Count + cost <= limit)
            {
                counter.Count += cost;
                decision = new RateLimitDecision(true, limit, limit - counter.Count, resetAfter, windowId);
            }
            else
            {
                decision = new RateLimitDecision(false, limit, Math.Max(0, limit - counter.Count), resetAfter, windowId);
            }
        }

        if (Interlocked.Increment(ref _operations) % SweepEvery == 0)
        {
            Sweep(now.UtcTicks);
        }

        return ValueTask.FromResult(decision);
    }

    public ValueTask AdjustAsync(string key, TimeSpan window, long windowId, long delta)
    {
        if (_counters.TryGetValue(key, out var counter))
        {
            lock (counter)
            {
                if (counter.WindowId == windowId)
                {
                    counter.Count = Math.Max(0, counter.Count + delta);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Sweep(long nowTicks)
    {
        foreach (var (key, counter) in _counters)
        {
            if (counter.Expires < nowTicks)
            {
                _counters.TryRemove(new KeyValuePair<string, Counter>(key, counter));
            }
        }
    }

    private sealed class Counter
    {
        public long WindowId { get; set; } = -1;

        public long Count { get; set; }

        public long Expires { get; set; }
    }
}
