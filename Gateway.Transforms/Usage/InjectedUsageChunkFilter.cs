using System.Buffers;

namespace Gateway.Transforms.Usage;

/// <summary>
/// Removes the final usage chunk from an OpenAI chat stream when the gateway, not the client, asked for it
/// (<c>stream_options.include_usage</c>), so the client's stream keeps the shape it asked for. Works on whole
/// SSE events; every other event is passed on unchanged as soon as its terminating blank line arrives.
/// </summary>
internal sealed class InjectedUsageChunkFilter
{
    private readonly ArrayBufferWriter<byte> _incoming = new(4096);
    private readonly ArrayBufferWriter<byte> _outgoing = new(4096);
    private int _outgoingOffset;
    private bool _complete;

    public bool HasPending => _outgoing.WrittenCount > _outgoingOffset;

    public void Accept(ReadOnlySpan<byte> data)
    {
        _incoming.Write(data);
        var pending = _incoming.WrittenSpan;
        var consumed = 0;
        while (true)
        {
            var end = pending[consumed..].IndexOf("\n\n"u8);
            if (end < 0)
            {
                break;
            }

            var evt = pending.Slice(consumed, end + 2);
            if (!IsUsageOnlyChunk(evt))
            {
                _outgoing.Write(evt);
            }

            consumed += end + 2;
        }

        if (consumed > 0)
        {
            var rest = pending[consumed..].ToArray();
            _incoming.ResetWrittenCount();
            _incoming.Write(rest);
        }
    }

    public void Complete()
    {
        if (!_complete)
        {
            _complete = true;
            _outgoing.Write(_incoming.WrittenSpan);
            _incoming.ResetWrittenCount();
        }
    }

    public bool TryDrain(Span<byte> destination, out int written)
    {
        var available = _outgoing.WrittenSpan[_outgoingOffset..];
        if (available.IsEmpty || destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        written = Math.Min(available.Length, destination.Length);
        available[..written].CopyTo(destination);
        _outgoingOffset += written;
        if (_outgoingOffset == _outgoing.WrittenCount)
        {
            _outgoing.ResetWrittenCount();
            _outgoingOffset = 0;
        }

        return true;
    }

    private static bool IsUsageOnlyChunk(ReadOnlySpan<byte> evt) =>
        evt.StartsWith("data:"u8)
        && SseUsageScanner.HasObjectProperty(evt, "\"usage\""u8)
        && evt.IndexOf("\"choices\":[]"u8) >= 0;
}
