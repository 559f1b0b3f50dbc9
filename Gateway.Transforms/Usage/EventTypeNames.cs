using System.Text;

namespace Gateway.Transforms.Usage;

/// <summary>Interns the few event-stream header values Bedrock uses, so decoding a frame does not allocate.</summary>
internal static class EventTypeNames
{
    private static readonly string[] Known =
    [
        "event", "exception", "error", "chunk", "messageStart", "messageStop", "contentBlockStart",
        "contentBlockDelta", "contentBlockStop", "metadata", "application/json",
    ];

    private static readonly byte[][] KnownBytes = Known.Select(Encoding.UTF8.GetBytes).ToArray();

    public static string Get(ReadOnlySpan<byte> value)
    {
        for (var i = 0; i < KnownBytes.Length; i++)
        {
            if (value.SequenceEqual(KnownBytes[i]))
            {
                return Known[i];
            }
        }

        return Encoding.UTF8.GetString(value);
    }
}
