namespace Gateway.Transforms.Usage;

/// <summary>How a response body is framed on the wire.</summary>
public enum BodyFraming
{
    /// <summary>One JSON document (or a JSON array of documents, as Gemini's non-SSE stream).</summary>
    Json,

    /// <summary><c>text/event-stream</c>.</summary>
    ServerSentEvents,

    /// <summary><c>application/vnd.amazon.eventstream</c> binary frames.</summary>
    AwsEventStream,
}
