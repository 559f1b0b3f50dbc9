namespace Gateway.Proxy.Logging;

/// <summary>Counts log lines lost under overload (full queues) or to I/O failures, for a metric.</summary>
public sealed class LogQueueMonitor
{
    private readonly List<BoundedBatchingSink> _queues = [];
    private readonly Lock _gate = new();

    public RotatingFileSink? File { get; set; }

    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _queues.Sum(q => q.Dropped) + (File?.Dropped ?? 0);
            }
        }
    }

    public void Add(BoundedBatchingSink queue)
    {
        lock (_gate)
        {
            _queues.Add(queue);
        }
    }
}
