using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Gateway.Pricing.Usage;

namespace Gateway.Transforms.Usage;

/// <summary>
/// Incremental usage reader for one response body: feed it the bytes as they pass, then read the usage.
/// Never throws out of <see cref="Feed"/>: a malformed body marks the parser faulted and it stops looking.
/// </summary>
public sealed class UsageParser : IDisposable
{
    private readonly UsageAccumulator _accumulator = new();
    private readonly JsonBodyScanner? _json;
    private readonly SseUsageScanner? _sse;
    private readonly AwsEventStreamReader? _eventStream;
    private readonly AwsEventStreamReader.MessageHandler? _onMessage;

    public UsageParser(UsageShape shape, BodyFraming framing, string? requestedModel = null)
    {
        Shape = shape;
        Framing = framing;
        RequestedModel = requestedModel;
        switch (framing)
        {
            case BodyFraming.ServerSentEvents:
                _sse = new SseUsageScanner(_accumulator);
                break;
            case BodyFraming.AwsEventStream:
                _eventStream = new AwsEventStreamReader();
                _onMessage = OnEventStreamMessage;
                break;
            default:
                _json = new JsonBodyScanner(_accumulator);
                break;
        }
    }

    public UsageShape Shape { get; }

    public BodyFraming Framing { get; }

    /// <summary>The model named by the request (Bedrock's path, the client's body), used when the body names none.</summary>
    public string? RequestedModel { get; }

    /// <summary>The first parse error, if any; later bytes are ignored once faulted.</summary>
    public Exception? Fault { get; private set; }

    public long BytesSeen { get; private set; }

    public bool HasUsage => _accumulator.HasUsage;

    public string? Model => _accumulator.Model ?? RequestedModel;

    /// <summary>Feeds the next bytes of the body. Never throws.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        BytesSeen += data.Length;
        if (Fault is not null || Shape == UsageShape.Unknown)
        {
            return;
        }

        try
        {
            if (_sse is not null)
            {
                _sse.Feed(data);
            }
            else if (_eventStream is not null)
            {
                _eventStream.Feed(data, _onMessage!);
                if (_eventStream.Corrupt)
                {
                    Fault = new InvalidDataException("AWS event-stream frame failed its length or CRC check.");
                }
            }
            else
            {
                _json!.Feed(data);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or FormatException or ArgumentException or InvalidOperationException)
        {
            Fault = ex;
        }
    }

    /// <summary>Signals the end of the body (complete or not). Never throws.</summary>
    public void Finish()
    {
        if (Fault is not null)
        {
            return;
        }

        try
        {
            _sse?.Finish();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            Fault = ex;
        }
    }

    /// <summary>Adds a token count from response headers (Bedrock's <c>X-Amzn-Bedrock-*-Token-Count</c>), unless the body has it.</summary>
    internal void SetHeaderCount(UsageField field, long value) => _accumulator.SetIfAbsent(field, value);

    public TokenUsage GetUsage() => _accumulator.ToTokenUsage(Shape);

    public void Dispose()
    {
        _json?.Dispose();
        _sse?.Dispose();
        _eventStream?.Dispose();
    }

    private void OnEventStreamMessage(in AwsEventStreamMessage message)
    {
        if (message.MessageType is not "event" || message.Payload.IsEmpty)
        {
            return;
        }

        if (message.EventType == "chunk")
        {
            DecodeChunk(message.Payload);
        }
        else
        {
            // ConverseStream events (metadata carries usage) are plain JSON payloads.
            _accumulator.ScanDocument(message.Payload);
        }
    }

    /// <summary>InvokeModelWithResponseStream: <c>{"bytes":"base64 of the model's own event JSON"}</c>.</summary>
    private void DecodeChunk(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueSpan.SequenceEqual("bytes"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                {
                    return;
                }

                var encoded = reader.ValueSpan;
                var rented = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
                try
                {
                    if (Base64.DecodeFromUtf8(encoded, rented, out _, out var written) != OperationStatus.Done)
                    {
                        throw new InvalidDataException("Bedrock chunk is not valid base64.");
                    }

                    var decoded = rented.AsSpan(0, written);
                    if (decoded.IndexOf("\"usage\""u8) >= 0 || decoded.IndexOf("invocationMetrics"u8) >= 0
                        || (_accumulator.Model is null && decoded.IndexOf("\"model\""u8) >= 0))
                    {
                        _accumulator.ScanDocument(decoded);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }

                return;
            }
        }
    }
}
