namespace Gateway.Transforms.Usage;

/// <summary>
/// Wraps an upstream response body: every read is handed to the caller as it arrives and a copy of the bytes
/// goes to the <see cref="UsageParser"/>. The parser never throws, so the tap cannot break the response.
/// </summary>
public sealed class UsageTapStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly TimeProvider _timeProvider;
    private readonly InjectedUsageChunkFilter? _filter;

    private readonly byte[]? _capture;
    private int _captured;

    public UsageTapStream(Stream inner, UsageParser parser, TimeProvider timeProvider, bool stripInjectedUsageChunk = false, int captureBytes = 0)
    {
        _inner = inner;
        Parser = parser;
        _timeProvider = timeProvider;
        _filter = stripInjectedUsageChunk ? new InjectedUsageChunkFilter() : null;
        _capture = captureBytes > 0 ? new byte[captureBytes] : null;
    }

    /// <summary>The first bytes of the body, kept for body logging (empty unless asked for).</summary>
    public ReadOnlySpan<byte> Captured => _capture.AsSpan(0, _captured);

    public UsageParser Parser { get; }

    /// <summary>Timestamp of the first body byte read from upstream, or 0.</summary>
    public long FirstByteTimestamp { get; private set; }

    /// <summary>True once the upstream body was read to its end.</summary>
    public bool Completed { get; private set; }

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (_filter is not null && _filter.TryDrain(buffer, out var drained))
            {
                return drained;
            }

            var read = _inner.Read(buffer);
            if (!Observe(buffer[..read]))
            {
                return read;
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_filter is not null && _filter.TryDrain(buffer.Span, out var drained))
            {
                return drained;
            }

            var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (!Observe(buffer.Span[..read]))
            {
                return read;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            Parser.Finish();
        }

        base.Dispose(disposing);
    }

    /// <summary>Feeds the parser; returns true when the bytes went to the filter and the caller must drain it.</summary>
    private bool Observe(Span<byte> data)
    {
        if (data.IsEmpty)
        {
            Completed = true;
            Parser.Finish();
            if (_filter is not null)
            {
                _filter.Complete();
                return _filter.HasPending;
            }

            return false;
        }

        if (FirstByteTimestamp == 0)
        {
            FirstByteTimestamp = _timeProvider.GetTimestamp();
        }

        BytesRead += data.Length;
        if (_capture is not null && _captured < _capture.Length)
        {
            var take = Math.Min(data.Length, _capture.Length - _captured);
            data[..take].CopyTo(_capture.AsSpan(_captured));
            _captured += take;
        }

        Parser.Feed(data);
        if (_filter is null)
        {
            return false;
        }

        _filter.Accept(data);
        return true;
    }
}
