using System.Buffers;
using System.Buffers.Binary;

namespace Gateway.Transforms.Usage;

/// <summary>One decoded <c>application/vnd.amazon.eventstream</c> message.</summary>
/// <param name="MessageType">The <c>:message-type</c> header (<c>event</c> or <c>exception</c>).</param>
/// <param name="EventType">The <c>:event-type</c> (or <c>:exception-type</c>) header.</param>
/// <param name="Payload">The payload bytes; valid only during the callback.</param>
internal readonly ref struct AwsEventStreamMessage(string? MessageType, string? EventType, ReadOnlySpan<byte> Payload)
{
    public string? MessageType { get; } = MessageType;

    public string? EventType { get; } = EventType;

    public ReadOnlySpan<byte> Payload { get; } = Payload;
}

/// <summary>Splits AWS event-stream bytes, fed in arbitrary chunks, into CRC-checked messages.</summary>
internal sealed class AwsEventStreamReader : IDisposable
{
    /// <summary>AWS limits a message to 16 MB; a larger length prefix means the stream is corrupt.</summary>
    private const int MaxMessageLength = 16 * 1024 * 1024;
    private const int PreludeLength = 12;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(8192);
    private int _length;

    public delegate void MessageHandler(in AwsEventStreamMessage message);

    /// <summary>Set once a frame fails its CRC or length check; nothing after it is decoded.</summary>
    public bool Corrupt { get; private set; }

    public void Feed(ReadOnlySpan<byte> data, MessageHandler onMessage)
    {
        while (!Corrupt && !data.IsEmpty)
        {
            if (_length == 0 && data.Length >= PreludeLength)
            {
                // Common case: whole frames in the chunk, decoded in place without copying.
                var total = ReadTotalLength(data);
                if (total < 0)
                {
                    return;
                }

                if (data.Length >= total)
                {
                    Decode(data[..total], onMessage);
                    data = data[total..];
                    continue;
                }
            }

            var take = Math.Min(data.Length, Needed() - _length);
            if (Corrupt)
            {
                return;
            }

            Append(data[..take]);
            data = data[take..];
            if (_length >= PreludeLength && _length == Needed() && !Corrupt)
            {
                Decode(_buffer.AsSpan(0, _length), onMessage);
                _length = 0;
            }
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Bytes the current frame needs: the prelude first, then its declared total length.</summary>
    private int Needed()
    {
        if (_length < PreludeLength)
        {
            return PreludeLength;
        }

        var total = ReadTotalLength(_buffer.AsSpan(0, _length));
        return total < 0 ? _length : total;
    }

    private int ReadTotalLength(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadInt32BigEndian(prelude[4..]);
        var preludeCrc = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        if (total < PreludeLength + 4 || total > MaxMessageLength || headers < 0 || headers > total - PreludeLength - 4
            || Crc32.Compute(prelude[..8]) != preludeCrc)
        {
            Corrupt = true;
            return -1;
        }

        return total;
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_length + part.Length > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + part.Length, _buffer.Length * 2));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        part.CopyTo(_buffer.AsSpan(_length));
        _length += part.Length;
    }

    private void Decode(ReadOnlySpan<byte> frame, MessageHandler onMessage)
    {
        var messageCrc = BinaryPrimitives.ReadUInt32BigEndian(frame[^4..]);
        if (Crc32.Compute(frame[..^4]) != messageCrc)
        {
            Corrupt = true;
            return;
        }

        var headersLength = BinaryPrimitives.ReadInt32BigEndian(frame[4..]);
        var headers = frame.Slice(PreludeLength, headersLength);
        var payload = frame[(PreludeLength + headersLength)..^4];
        string? messageType = null;
        string? eventType = null;
        while (!headers.IsEmpty)
        {
            var nameLength = headers[0];
            if (headers.Length < 2 + nameLength)
            {
                Corrupt = true;
                return;
            }

            var name = headers.Slice(1, nameLength);
            var type = headers[1 + nameLength];
            headers = headers[(2 + nameLength)..];
            if (!TryReadHeaderValue(ref headers, type, out var stringValue))
            {
                Corrupt = true;
                return;
            }

            if (name.SequenceEqual(":message-type"u8))
            {
                messageType = stringValue;
            }
            else if (name.SequenceEqual(":event-type"u8) || name.SequenceEqual(":exception-type"u8))
            {
                eventType = stringValue;
            }
        }

        onMessage(new AwsEventStreamMessage(messageType, eventType, payload));
    }

    private static bool TryReadHeaderValue(ref ReadOnlySpan<byte> headers, byte type, out string? stringValue)
    {
        stringValue = null;
        int length;
        switch (type)
        {
            case 0 or 1: length = 0; break; // bool true / false
            case 2: length = 1; break;
            case 3: length = 2; break;
            case 4: length = 4; break;
            case 5 or 8: length = 8; break; // int64, timestamp
            case 9: length = 16; break; // uuid
            case 6 or 7:
                if (headers.Length < 2)
                {
                    return false;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(headers);
                headers = headers[2..];
                if (headers.Length < length)
                {
                    return false;
                }

                if (type == 7)
                {
                    stringValue = EventTypeNames.Get(headers[..length]);
                }

                break;
            default: return false;
        }

        if (headers.Length < length)
        {
            return false;
        }

        headers = headers[length..];
        return true;
    }
}
