using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Usage;

/// <summary>
/// OpenAI reports usage in a chat stream only when asked (<c>stream_options.include_usage</c>). When a streaming
/// request does not ask, the gateway adds the option so the cost is exact, and the tap later removes the extra
/// usage chunk from what the client receives.
/// </summary>
internal static class OpenAIStreamUsageRequest
{
    /// <summary>Bodies larger than this are forwarded untouched (their usage is then not reported by OpenAI).</summary>
    public const long MaxRewriteBytes = 8 * 1024 * 1024;

    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Rewrites the request body if needed; returns the new body length, or null when unchanged.</summary>
    public static async ValueTask<long?> TryRewriteAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method) || request.ContentLength is not { } length || length is 0 or > MaxRewriteBytes)
        {
            return null;
        }

        byte[]? rewritten;
        if (request.Body is MemoryStream buffered && buffered.TryGetBuffer(out var segment) && segment.Count == length)
        {
            // Already held in memory (the failover step buffers bodies it may replay): look at it in place.
            rewritten = Rewrite(segment);
            buffered.Position = 0;
        }
        else
        {
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            rewritten = Rewrite(body);
            request.Body = new MemoryStream(body, writable: false);
        }

        if (rewritten is null)
        {
            return null;
        }

        request.Body = new MemoryStream(rewritten, writable: false);

        request.ContentLength = rewritten.Length;
        return rewritten.Length;
    }

    /// <summary>The body with <c>include_usage</c> added, or null when the request needs no change.</summary>
    internal static byte[]? Rewrite(ReadOnlyMemory<byte> body)
    {
        if (body.Span.IndexOf("\"stream\""u8) < 0)
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            // Not ours to judge: the provider answers malformed JSON with its own error.
            return null;
        }

        if (root is not JsonObject obj
            || obj["stream"] is not JsonValue stream || stream.GetValueKind() != JsonValueKind.True)
        {
            return null;
        }

        if (obj["stream_options"] is JsonObject options)
        {
            if (options["include_usage"] is JsonValue v && v.GetValueKind() == JsonValueKind.True)
            {
                return null;
            }

            options["include_usage"] = true;
        }
        else
        {
            obj["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return JsonSerializer.SerializeToUtf8Bytes(obj, WriteOptions);
    }
}
