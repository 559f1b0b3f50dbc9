namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Distinct session ids seen in a sliding window, in constant memory: one HyperLogLog sketch (4096 one-byte
/// registers, about 1.6% standard error) per time slot; the estimate merges the slots inside the window.
/// </summary>
public sealed class UniqueSessionCounter
{
    private const int Precision = 12;
    private const int Registers = 1 << Precision;

    private readonly TimeProvider _timeProvider;
    private readonly long _slotTicks;
    private readonly byte[][] _slots;
    private readonly long[] _slotIds;
    private readonly Lock _gate = new();

    /// <param name="timeProvider">Clock.</param>
    /// <param name="window">How far back a session counts.</param>
    /// <param name="slots">Window resolution.</param>
    public UniqueSessionCounter(TimeProvider timeProvider, TimeSpan window, int slots = 60)
    {
        _timeProvider = timeProvider;
        _slotTicks = Math.Max(1, window.Ticks / slots);
        _slots = new byte[slots][];
        _slotIds = new long[slots];
        for (var i = 0; i < slots; i++)
        {
            _slots[i] = new byte[Registers];
            _slotIds[i] = -1;
        }
    }

    public void Add(string sessionId)
    {
        var hash = Hash(sessionId);
        var register = (int)(hash >> (64 - Precision));
        var rank = (byte)(System.Numerics.BitOperations.LeadingZeroCount((hash << Precision) | (1UL << (Precision - 1))) + 1);
        var slotId = _timeProvider.GetUtcNow().UtcTicks / _slotTicks;
        var index = (int)(slotId % _slots.Length);
        lock (_gate)
        {
            if (_slotIds[index] != slotId)
            {
                Array.Clear(_slots[index]);
                _slotIds[index] = slotId;
            }

            if (_slots[index][register] < rank)
            {
                _slots[index][register] = rank;
            }
        }
    }

    public long Estimate()
    {
        var merged = new byte[Registers];
        var current = _timeProvider.GetUtcNow().UtcTicks / _slotTicks;
        lock (_gate)
        {
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_slotIds[i] >= 0 && current - _slotIds[i] < _slots.Length)
                {
                    var slot = _slots[i];
                    for (var r = 0; r < Registers; r++)
                    {
                        if (slot[r] > merged[r])
                        {
                            merged[r] = slot[r];
                        }
                    }
                }
            }
        }

        double sum = 0;
        var zeros = 0;
        foreach (var value in merged)
        {
            sum += Math.Pow(2, -value);
            if (value == 0)
            {
                zeros++;
            }
        }

        const double Alpha = 0.7213 / (1 + (1.079 / Registers));
        var estimate = Alpha * Registers * Registers / sum;
        if (estimate <= 2.5 * Registers && zeros > 0)
        {
            // Small-range correction (linear counting), exact enough for the first few thousand sessions.
            estimate = Registers * Math.Log((double)Registers / zeros);
        }

        return (long)Math.Round(estimate);
    }

    /// <summary>FNV-1a 64 over UTF-16 code units, then the SplitMix64 finaliser for an even bit spread.</summary>
    private static ulong Hash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash ^= hash >> 30;
        hash *= 0xbf58476d1ce4e5b9UL;
        hash ^= hash >> 27;
        hash *= 0x94d049bb133111ebUL;
        hash ^= hash >> 31;
        return hash;
    }
}
