namespace Gateway.Proxy.Stats;

/// <summary>
/// A fixed-size log-bucketed latency histogram (about 4% relative error, 1 ms to 1 hour) for in-process
/// percentiles: constant memory per key whatever the traffic, no sample is stored.
/// </summary>
public sealed class LatencySketch
{
    private const double MinSeconds = 0.001;
    private const double MaxSeconds = 3600;
    private const double Growth = 1.04;
    private static readonly double LogGrowth = Math.Log(Growth);
    private static readonly int BucketCount = (int)Math.Ceiling(Math.Log(MaxSeconds / MinSeconds) / LogGrowth) + 2;

    private readonly long[] _buckets = new long[BucketCount];
    private long _count;

    public long Count => _count;

    public void Record(double seconds)
    {
        _buckets[IndexOf(seconds)]++;
        _count++;
    }

    /// <summary>The value below which <paramref name="quantile"/> of recorded values fall (bucket midpoint).</summary>
    public double Quantile(double quantile)
    {
        if (_count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * _count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= Math.Max(rank, 1))
            {
                return Representative(i);
            }
        }

        return MaxSeconds;
    }

    private static int IndexOf(double seconds)
    {
        if (!(seconds > MinSeconds))
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(seconds / MinSeconds) / LogGrowth);
        return Math.Min(index, BucketCount - 1);
    }

    /// <summary>Geometric midpoint of bucket <paramref name="index"/> (upper bound MinSeconds·Growth^index).</summary>
    private static double Representative(int index) =>
        index == 0 ? MinSeconds : MinSeconds * Math.Pow(Growth, index - 0.5);
}
