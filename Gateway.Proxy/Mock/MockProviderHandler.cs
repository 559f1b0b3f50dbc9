using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Proxy.Mock;

/// <summary>
/// The built-in <c>mock</c> provider: answers Anthropic Messages and OpenAI Chat Completions requests, JSON or
/// SSE, with realistic usage blocks, entirely in process. Used by the quick start and the benchmark, so it
/// works offline and whatever address the gateway listens on.
/// </summary>
internal sealed class MockProviderHandler : HttpMessageHandler
{
    private const string AnthropicDefaultModel = "claude-sonnet-4-5-20250929";
    private const string OpenAIDefaultModel = "gpt-4o-mini-2024-07-18";
    private const string Reply = "Hello! This is the Gateway mock provider answering offline.";

    private static readonly string[] Words = Reply.Split(' ');
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeHeaderValue EventStream = new("text/event-stream");

    private readonly IOptionsMonitor<MockOptions> _options;
    private readonly TimeProvider _timeProvider;
    private long _sequence;

    public MockProviderHandler(IOptionsMonitor<MockOptions> options, TimeProvider timeProvider)
    {
        _options = options;
        _timeProvider = timeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (options.DelayMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(options.DelayMs), _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var isAnthropic = path.EndsWith("/messages", StringComparison.Ordinal);
        var isOpenAI = path.EndsWith("/chat/completions", StringComparison.Ordinal);
        if (request.Method != HttpMethod.Post || (!isAnthropic && !isOpenAI))
        {
            return Error(HttpStatusCode.NotFound, "not_found_error", $"The mock provider serves POST /v1/messages and POST /v1/chat/completions, not {request.Method} {path}.");
        }

        MockRequest parsed;
        try
        {
            parsed = MockRequest.Parse(body, isAnthropic ? AnthropicDefaultModel : OpenAIDefaultModel);
        }
        catch (JsonException ex)
        {
            return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"Request body is not valid JSON: {ex.Message}");
        }

        var id = Interlocked.Increment(ref _sequence).ToString("D8", CultureInfo.InvariantCulture);
        var inputTokens = Math.Max(1, body.Length / 4);
        var usage = new MockUsage(inputTokens, options.CacheReadTokens, Words.Length);
        if (!parsed.Stream)
        {
            var json = isAnthropic ? AnthropicJson(id, parsed.Model, usage) : OpenAIJson(id, parsed.Model, usage, _timeProvider);
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            content.Headers.ContentType = Json;
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }

        var events = isAnthropic
            ? AnthropicEvents(id, parsed.Model, usage, options.StreamEvents)
            : OpenAIEvents(id, parsed.Model, usage, options.StreamEvents, parsed.IncludeUsage, _timeProvider);
        var pipe = new Pipe();
        _ = WriteEventsAsync(pipe.Writer, events, options.StreamEventDelayMs, cancellationToken);
        var streamContent = new StreamContent(pipe.Reader.AsStream());
        streamContent.Headers.ContentType = EventStream;
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = streamContent, RequestMessage = request };
        response.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
        return response;
    }

    private async Task WriteEventsAsync(PipeWriter writer, IEnumerable<string> events, int delayMs, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var evt in events)
            {
                if (delayMs > 0)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                await writer.WriteAsync(Encoding.UTF8.GetBytes(evt), cancellationToken).ConfigureAwait(false);
            }

            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException)
        {
            await writer.CompleteAsync(ex).ConfigureAwait(false);
        }
    }

    private static HttpResponseMessage Error(HttpStatusCode status, string type, string message)
    {
        var json = JsonSerializer.Serialize(new { type = "error", error = new { type, message } });
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return new HttpResponseMessage(status) { Content = content };
    }

    private static string AnthropicJson(string id, string model, MockUsage usage) => JsonSerializer.Serialize(new
    {
        id = "msg_mock_" + id,
        type = "message",
        role = "assistant",
        model,
        content = new[] { new { type = "text", text = Reply } },
        stop_reason = "end_turn",
        stop_sequence = (string?)null,
        usage = new
        {
            input_tokens = usage.Input,
            cache_creation_input_tokens = 0,
            cache_read_input_tokens = usage.CacheRead,
            output_tokens = usage.Output,
        },
    });

    private static IEnumerable<string> AnthropicEvents(string id, string model, MockUsage usage, int deltas)
    {
        var start = JsonSerializer.Serialize(new
        {
            type = "message_start",
            message = new
            {
                id = "msg_mock_" + id,
                type = "message",
                role = "assistant",
                model,
                content = Array.Empty<object>(),
                stop_reason = (string?)null,
                stop_sequence = (string?)null,
                usage = new { input_tokens = usage.Input, cache_creation_input_tokens = 0, cache_read_input_tokens = usage.CacheRead, output_tokens = 1 },
            },
        });
        yield return $"event: message_start\ndata: {start}\n\n";
        yield return "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
        yield return "event: ping\ndata: {\"type\": \"ping\"}\n\n";
        foreach (var piece in Split(deltas))
        {
            var delta = JsonSerializer.Serialize(new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = piece } });
            yield return $"event: content_block_delta\ndata: {delta}\n\n";
        }

        yield return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
        yield return "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":"
            + usage.Output.ToString(CultureInfo.InvariantCulture) + "}}\n\n";
        yield return "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    }

    private static string OpenAIJson(string id, string model, MockUsage usage, TimeProvider time) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-mock" + id,
        @object = "chat.completion",
        created = time.GetUtcNow().ToUnixTimeSeconds(),
        model,
        choices = new[]
        {
            new { index = 0, message = new { role = "assistant", content = Reply, refusal = (string?)null }, logprobs = (object?)null, finish_reason = "stop" },
        },
        usage = OpenAIUsage(usage),
        system_fingerprint = "fp_mock",
    });

    private static object OpenAIUsage(MockUsage usage) => new
    {
        prompt_tokens = usage.Input + usage.CacheRead,
        completion_tokens = usage.Output,
        total_tokens = usage.Input + usage.CacheRead + usage.Output,
        prompt_tokens_details = new { cached_tokens = usage.CacheRead, audio_tokens = 0 },
        completion_tokens_details = new { reasoning_tokens = 0, audio_tokens = 0, accepted_prediction_tokens = 0, rejected_prediction_tokens = 0 },
    };

    private static IEnumerable<string> OpenAIEvents(string id, string model, MockUsage usage, int deltas, bool includeUsage, TimeProvider time)
    {
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var chunkId = "chatcmpl-mock" + id;
        string Chunk(object delta, string? finish) => "data: " + JsonSerializer.Serialize(new
        {
            id = chunkId,
            @object = "chat.completion.chunk",
            created,
            model,
            system_fingerprint = "fp_mock",
            choices = new[] { new { index = 0, delta, logprobs = (object?)null, finish_reason = finish } },
        }) + "\n\n";

        yield return Chunk(new { role = "assistant", content = string.Empty }, null);
        foreach (var piece in Split(deltas))
        {
            yield return Chunk(new { content = piece }, null);
        }

        yield return Chunk(new { }, "stop");
        if (includeUsage)
        {
            yield return "data: " + JsonSerializer.Serialize(new
            {
                id = chunkId,
                @object = "chat.completion.chunk",
                created,
                model,
                system_fingerprint = "fp_mock",
                choices = Array.Empty<object>(),
                usage = OpenAIUsage(usage),
            }) + "\n\n";
        }

        yield return "data: [DONE]\n\n";
    }

    private static IEnumerable<string> Split(int parts)
    {
        parts = Math.Clamp(parts, 1, Words.Length);
        var perPart = (int)Math.Ceiling(Words.Length / (double)parts);
        for (var i = 0; i < Words.Length; i += perPart)
        {
            var piece = string.Join(' ', Words.Skip(i).Take(perPart));
            yield return i == 0 ? piece : " " + piece;
        }
    }

    private readonly record struct MockUsage(int Input, int CacheRead, int Output);

    private readonly record struct MockRequest(string Model, bool Stream, bool IncludeUsage)
    {
        public static MockRequest Parse(byte[] body, string defaultModel)
        {
            if (body.Length == 0)
            {
                return new MockRequest(defaultModel, false, false);
            }

            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : defaultModel;
            var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var include = root.TryGetProperty("stream_options", out var o) && o.ValueKind == JsonValueKind.Object
                && o.TryGetProperty("include_usage", out var iu) && iu.ValueKind == JsonValueKind.True;
            return new MockRequest(model, stream, include);
        }
    }
}
