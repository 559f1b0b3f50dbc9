using Serilog.Sinks.Async;

namespace Gateway.Proxy.Logging;

/// <summary>Counts log lines lost under overload (full async queues) or to I/O failures, for a metric.</summary>
public sealed class LogQueueMonitor : IAsyncLogEventSinkMonitor
{
    private readonly List<IAsyncLogEventSinkInspector> _inspectors = [];
    private readonly Lock _gate = new();

    public RotatingFileSink? File { get; set; }

    public long Dropped
    {
        get
        {
            lock (_gate)
            {
                return _inspectors.Sum(i => i.DroppedMessagesCount) + (File?.Dropped ?? 0);
            }
        }
    }

    public void StartMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        lock (_gate)
        {
            _inspectors.Add(inspector);
        }
    }

    public void StopMonitoring(IAsyncLogEventSinkInspector inspector)
    {
        lock (_gate)
        {
            _inspectors.Remove(inspector);
        }
    }
}
