using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Gateway.Proxy.Logging;

/// <summary>
/// Moves log writing off the request path without a thread hand-off per line: <see cref="Emit"/> only enqueues
/// (bounded: when full, the line is dropped and counted), and one background loop drains the queue into the
/// inner sink every interval. A per-event wake-up of a writer thread costs more CPU than the line itself.
/// The loop is a dedicated thread, not a thread-pool task: formatting a batch of a few thousand lines takes
/// milliseconds, and on a thread-pool worker it would hold back the requests queued behind it (on two cores,
/// that was the gateway's p99 latency).
/// </summary>
public sealed class BoundedBatchingSink : ILogEventSink, IDisposable
{
    /// <summary>How often the gateway's sinks drain: small batches, so no burst of formatting delays requests.</summary>
    public static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(10);

    private readonly ILogEventSink _inner;
    private readonly int _limit;
    private readonly ConcurrentQueue<LogEvent> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _loop;
    private readonly TimeSpan _interval;
    private int _count;
    private long _dropped;

    /// <param name="inner">The sink that formats and writes (called from one thread only).</param>
    /// <param name="limit">Lines held at most; more are dropped and counted.</param>
    /// <param name="interval">How often the queue is drained.</param>
    public BoundedBatchingSink(ILogEventSink inner, int limit, TimeSpan interval)
    {
        _inner = inner;
        _limit = limit;
        _interval = interval;
        _loop = new Thread(DrainLoop) { IsBackground = true, Name = "gateway-log-writer" };
        _loop.Start();
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Emit(LogEvent logEvent)
    {
        if (Interlocked.Increment(ref _count) > _limit)
        {
            Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _dropped);
            return;
        }

        _queue.Enqueue(logEvent);
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Join(TimeSpan.FromSeconds(5));
        Drain();
        (_inner as IDisposable)?.Dispose();
        _stop.Dispose();
    }

    private void DrainLoop()
    {
        var stop = _stop.Token.WaitHandle;
        while (!stop.WaitOne(_interval))
        {
            Drain();
        }
    }

    private void Drain()
    {
        var wrote = false;
        while (_queue.TryDequeue(out var logEvent))
        {
            Interlocked.Decrement(ref _count);
            try
            {
                _inner.Emit(logEvent);
                wrote = true;
            }
#pragma warning disable CA1031 // A failing sink must not stop the loop; the line is counted as dropped.
            catch (Exception)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _dropped);
            }
        }

        if (wrote && _inner is RotatingFileSink file)
        {
            file.Flush();
        }
        else if (wrote && _inner is ConsoleLineSink console)
        {
            console.Flush();
        }
    }
}
