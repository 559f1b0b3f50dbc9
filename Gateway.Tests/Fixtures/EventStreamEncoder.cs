using System.Buffers.Binary;
using System.Text;
using Gateway.Transforms.Usage;

namespace Gateway.Tests.Fixtures;

/// <summary>Builds <c>application/vnd.amazon.eventstream</c> frames as Bedrock sends them.</summary>
internal static class EventStreamEncoder
{
    public static byte[] Frame(string eventType, byte[] payload, string messageType = "event")
    {
        var headers = new MemoryStream();
        WriteStringHeader(headers, ":event-type", eventType);
        WriteStringHeader(headers, ":content-type", "application/json");
        WriteStringHeader(headers, ":message-type", messageType);
        var headerBytes = headers.ToArray();
        var total = 12 + headerBytes.Length + payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(frame, total);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(4), headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), Crc32.Compute(frame.AsSpan(0, 8)));
        headerBytes.CopyTo(frame, 12);
        payload.CopyTo(frame, 12 + headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), Crc32.Compute(frame.AsSpan(0, total - 4)));
        return frame;
    }

    /// <summary>An InvokeModelWithResponseStream chunk: the model's own event JSON, base64 in <c>bytes</c>.</summary>
    public static byte[] Chunk(string modelEventJson) =>
        Frame("chunk", Encoding.UTF8.GetBytes("{\"bytes\":\"" + Convert.ToBase64String(Encoding.UTF8.GetBytes(modelEventJson)) + "\",\"p\":\"abcdefghij\"}"));

    /// <summary>A Claude stream on Bedrock, with the invocation metrics on the last chunk.</summary>
    public static byte[] ClaudeStream() =>
    [
        .. Chunk("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}"),
        .. Chunk("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
        .. Chunk("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello from Bedrock\"}}"),
        .. Chunk("{\"type\":\"content_block_stop\",\"index\":0}"),
        .. Chunk("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":30}}"),
        .. Chunk("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":20,\"outputTokenCount\":30,\"invocationLatency\":500,\"firstByteLatency\":100}}"),
    ];

    /// <summary>A ConverseStream: usage in the <c>metadata</c> event.</summary>
    public static byte[] ConverseStream() =>
    [
        .. Frame("messageStart", Encoding.UTF8.GetBytes("{\"role\":\"assistant\"}")),
        .. Frame("contentBlockDelta", Encoding.UTF8.GetBytes("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}")),
        .. Frame("messageStop", Encoding.UTF8.GetBytes("{\"stopReason\":\"end_turn\"}")),
        .. Frame("metadata", Encoding.UTF8.GetBytes("{\"usage\":{\"inputTokens\":300,\"outputTokens\":100,\"totalTokens\":400},\"metrics\":{\"latencyMs\":250}}")),
    ];

    private static void WriteStringHeader(Stream stream, string name, string value)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        stream.WriteByte((byte)nameBytes.Length);
        stream.Write(nameBytes);
        stream.WriteByte(7);
        stream.WriteByte((byte)(valueBytes.Length >> 8));
        stream.WriteByte((byte)valueBytes.Length);
        stream.Write(valueBytes);
    }
}
