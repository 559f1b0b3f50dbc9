using System.Text.Json;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// The tokens to reserve before a request runs: an upper bound, so concurrent requests cannot overrun a budget.
/// A text prompt's tokens never exceed its bytes (chat-template tokens are covered by the JSON around each
/// message), and output never exceeds the request's max tokens. Images given by URL are the exception: their
/// tokens are not in the bytes; the settlement then charges the overshoot and later requests wait for the window.
/// </summary>
internal static class TokenEstimate
{
    public static long Reserve(ReadOnlySpan<byte> body, long defaultMaxOutput) => body.Length + (MaxOutputTokens(body) ?? defaultMaxOutput);

    /// <summary>The first <c>max_tokens</c>-like number in the body (any provider's spelling), if any.</summary>
    internal static long? MaxOutputTokens(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName
                    && (reader.ValueSpan.SequenceEqual("max_tokens"u8) || reader.ValueSpan.SequenceEqual("max_completion_tokens"u8)
                        || reader.ValueSpan.SequenceEqual("max_output_tokens"u8) || reader.ValueSpan.SequenceEqual("maxOutputTokens"u8)
                        || reader.ValueSpan.SequenceEqual("maxTokens"u8)))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) && value > 0)
                    {
                        return value;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
