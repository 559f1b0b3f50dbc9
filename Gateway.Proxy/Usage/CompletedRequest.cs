using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Usage;

/// <summary>What the recorder needs to know about a finished request, whichever endpoint served it.</summary>
/// <param name="Provider">Provider label (cluster id).</param>
/// <param name="ProviderApi">The API the provider speaks (<c>anthropic</c>, <c>bedrock</c>, ...): selects the price rows.</param>
/// <param name="Route">Route id or endpoint name.</param>
/// <param name="Operation">GenAI operation name (<c>chat</c>, <c>embeddings</c>, ...).</param>
/// <param name="Status">Status code the client received.</param>
/// <param name="ErrorType">Bounded error type, or null on success.</param>
/// <param name="Parser">The usage parser that saw the response body, if any.</param>
/// <param name="BodyCompleted">True when the response body was read to its end.</param>
/// <param name="ElapsedSeconds">Time from arrival to completion.</param>
/// <param name="TimeToFirstByteSeconds">Time from arrival to the first upstream body byte of a stream, if any.</param>
/// <param name="RequestBytes">Request body size.</param>
/// <param name="ResponseBytes">Response body size.</param>
/// <param name="Exception">The exception behind a failure, if any (logged sanitized).</param>
public sealed record CompletedRequest(
    string Provider,
    string ProviderApi,
    string? Route,
    string Operation,
    int Status,
    string? ErrorType,
    UsageParser? Parser,
    bool BodyCompleted,
    double ElapsedSeconds,
    double? TimeToFirstByteSeconds,
    long RequestBytes,
    long ResponseBytes,
    Exception? Exception = null);
