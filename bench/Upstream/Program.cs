using System.Text;

// A fast provider stand-in for the benchmark (and the OTLP receiver the gateway exports traces to).
// Answers in the providers' shapes: ~600-byte JSON, or 50 SSE events when the body asks to stream.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var eventDelayMs = int.TryParse(Environment.GetEnvironmentVariable("UPSTREAM_EVENT_DELAY_MS"), out var d) ? d : 0;

var anthropicJson = Encoding.UTF8.GetBytes("""
{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! I'm Claude, an AI assistant made by Anthropic. I can help with writing, analysis, coding, math, and answering questions. What would you like to work on today? Let me know and we can get started right away with whatever you need."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":150,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":58}}
""".Trim());
var openaiJson = Encoding.UTF8.GetBytes("""
{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today? I can help with writing, analysis, coding and questions of all kinds.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":25,"total_tokens":145,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_fc9f1d7035"}
""".Trim());
var start = Encoding.UTF8.GetBytes("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":150,\"output_tokens\":1}}}\n\n");
var delta = Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello world \"}}\n\n");
var end = Encoding.UTF8.GetBytes("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":48}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

long spansReceived = 0;
app.Run(async context =>
{
    var path = context.Request.Path.Value ?? "/";
    if (path == "/v1/traces" || path == "/v1/metrics")
    {
        // Count the spans (not just accept the bytes), so the benchmark can show that every request's spans arrived.
        using var export = new MemoryStream();
        await context.Request.Body.CopyToAsync(export);
        if (path == "/v1/traces")
        {
            Interlocked.Add(ref spansReceived, OtlpSpanCounter.Count(export.GetBuffer().AsSpan(0, (int)export.Length)));
        }

        context.Response.ContentType = "application/x-protobuf";
        return;
    }

    if (path == "/bench/spans")
    {
        await context.Response.WriteAsync(Interlocked.Read(ref spansReceived).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return;
    }

    // Read the body (1 MB case) and look for "stream":true without parsing.
    var streaming = false;
    var buffer = new byte[16 * 1024];
    int read;
    var first = true;
    while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
    {
        if (first)
        {
            streaming = buffer.AsSpan(0, read).IndexOf("\"stream\":true"u8) >= 0;
            first = false;
        }
    }

    if (path.EndsWith("/error", StringComparison.Ordinal))
    {
        context.Response.StatusCode = 500;
        await context.Response.Body.WriteAsync("{\"type\":\"error\"}"u8.ToArray());
        return;
    }

    // ".../slow": a stream that takes ~5 s, for aborted-stream traffic in the soak.
    var slow = path.EndsWith("/slow", StringComparison.Ordinal);
    if (streaming || slow)
    {
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.WriteAsync(start);
        await context.Response.Body.FlushAsync();
        for (var i = 0; i < 48; i++)
        {
            if (eventDelayMs > 0 || slow)
            {
                await Task.Delay(slow ? 100 : eventDelayMs, context.RequestAborted);
            }

            await context.Response.Body.WriteAsync(delta);
            await context.Response.Body.FlushAsync();
        }

        await context.Response.Body.WriteAsync(end);
        return;
    }

    context.Response.ContentType = "application/json";
    var body = path.EndsWith("/chat/completions", StringComparison.Ordinal) ? openaiJson : anthropicJson;
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
app.Run();

/// <summary>Counts the spans of an OTLP ExportTraceServiceRequest (protobuf): resource_spans(1) → scope_spans(2) → spans(2).</summary>
internal static class OtlpSpanCounter
{
    public static long Count(ReadOnlySpan<byte> request)
    {
        long spans = 0;
        foreach (var resource in Fields(request, 1))
        {
            foreach (var scope in Fields(request.Slice(resource.Start, resource.Length), 2))
            {
                spans += Fields(request.Slice(resource.Start, resource.Length).Slice(scope.Start, scope.Length), 2).Count;
            }
        }

        return spans;
    }

    /// <summary>The (offset, length) of every length-delimited field <paramref name="number"/> at this message's top level.</summary>
    private static List<(int Start, int Length)> Fields(ReadOnlySpan<byte> message, int number)
    {
        var found = new List<(int, int)>();
        var i = 0;
        while (i < message.Length)
        {
            var key = Varint(message, ref i);
            var wire = (int)(key & 7);
            switch (wire)
            {
                case 0:
                    Varint(message, ref i);
                    break;
                case 1:
                    i += 8;
                    break;
                case 5:
                    i += 4;
                    break;
                case 2:
                    var length = (int)Varint(message, ref i);
                    if ((int)(key >> 3) == number)
                    {
                        found.Add((i, length));
                    }

                    i += length;
                    break;
                default:
                    throw new InvalidDataException($"wire type {wire}");
            }
        }

        return found;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
