using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Gateway.Transforms.Usage;

namespace Gateway.Transforms.Bedrock;

/// <summary>
/// Converts Bedrock's InvokeModelWithResponseStream body (binary event-stream frames carrying base64 Anthropic
/// events) into the Anthropic SSE stream a client asked for, frame by frame as it arrives: nothing is buffered
/// beyond one incomplete frame.
/// </summary>
public sealed class EventStreamToSseStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly AwsEventStreamReader _reader = new();
    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private readonly AwsEventStreamReader.MessageHandler _onMessage;
    private readonly byte[] _scratch = new byte[16 * 1024];
    private int _pendingOffset;
    private bool _ended;

    public EventStreamToSseStream(Stream inner)
    {
        _inner = inner;
        _onMessage = OnMessage;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var available = _pending.WrittenCount - _pendingOffset;
            if (available > 0)
            {
                var n = Math.Min(available, buffer.Length);
                _pending.WrittenSpan.Slice(_pendingOffset, n).CopyTo(buffer.Span);
                _pendingOffset += n;
                if (_pendingOffset == _pending.WrittenCount)
                {
                    _pending.ResetWrittenCount();
                    _pendingOffset = 0;
                }

                return n;
            }

            if (_ended)
            {
                return 0;
            }

            var read = await _inner.ReadAsync(_scratch, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _ended = true;
                continue;
            }

            _reader.Feed(_scratch.AsSpan(0, read), _onMessage);
            if (_reader.Corrupt)
            {
                WriteError("api_error", "Bedrock event stream was corrupt (CRC mismatch)");
                _ended = true;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _reader.Dispose();
        }

        base.Dispose(disposing);
    }

    private void OnMessage(in AwsEventStreamMessage message)
    {
        if (message.MessageType != "event")
        {
            var text = Encoding.UTF8.GetString(message.Payload);
            WriteError(message.EventType ?? "api_error", ErrorMessage(text));
            return;
        }

        if (message.EventType != "chunk")
        {
            return;
        }

        var reader = new Utf8JsonReader(message.Payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueSpan.SequenceEqual("bytes"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                var encoded = reader.ValueSpan;
                var decoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
                try
                {
                    if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) == OperationStatus.Done)
                    {
                        WriteEvent(decoded.AsSpan(0, written));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(decoded);
                }

                return;
            }
        }
    }

    private void WriteEvent(ReadOnlySpan<byte> json)
    {
        var type = "message";
        var reader = new Utf8JsonReader(json);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueSpan.SequenceEqual("type"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String)
                {
                    type = reader.GetString()!;
                    break;
                }

                reader.Skip();
            }
        }

        _pending.Write("event: "u8);
        _pending.Write(Encoding.UTF8.GetBytes(type));
        _pending.Write("\ndata: "u8);
        _pending.Write(json);
        _pending.Write("\n\n"u8);
    }

    private void WriteError(string type, string message)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["type"] = "error",
            ["error"] = new Dictionary<string, string> { ["type"] = type, ["message"] = message },
        });
        _pending.Write("event: error\ndata: "u8);
        _pending.Write(json);
        _pending.Write("\n\n"u8);
    }

    private static string ErrorMessage(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.TryGetProperty("message", out var m) ? m.GetString() ?? payload : payload;
        }
        catch (JsonException)
        {
            return payload;
        }
    }
}
