using Gateway.Transforms.Usage;
using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Requests;

/// <summary>Per-request state shared by the middleware, the transforms and the completion recorder.</summary>
public sealed class GatewayRequestFeature
{
    public GatewayRequestFeature(string correlationId, string? sessionId, long startTimestamp)
    {
        CorrelationId = correlationId;
        SessionId = sessionId;
        StartTimestamp = startTimestamp;
    }

    public string CorrelationId { get; }

    public string? SessionId { get; }

    /// <summary><see cref="TimeProvider.GetTimestamp"/> when the request arrived.</summary>
    public long StartTimestamp { get; }

    /// <summary>Provider label: the cluster id that served the request (bounded by configuration).</summary>
    public string? Provider { get; set; }

    /// <summary>The API the cluster speaks (<c>anthropic</c>, <c>openai</c>, ...).</summary>
    public string? ProviderApi { get; set; }

    public string? RouteId { get; set; }

    public UsageShape Shape { get; set; }

    /// <summary>The model the request named, where it is known without parsing the body (Bedrock's path).</summary>
    public string? RequestedModel { get; set; }

    /// <summary>Set when the gateway asked OpenAI for stream usage that the client did not ask for.</summary>
    public bool StripInjectedUsageChunk { get; set; }

    public UsageTapStream? Tap { get; set; }

    public int? UpstreamStatus { get; set; }

    /// <summary>Bytes of the client's request body that were forwarded (when known).</summary>
    public long RequestBytes { get; set; }

    /// <summary>The API shape the client speaks: that of the route's own cluster, whichever cluster serves it.</summary>
    public string? ClientApi { get; set; }

    /// <summary>1 for the first upstream attempt, 2 for the first fallback, ...</summary>
    public int Attempt { get; set; } = 1;

    /// <summary>True while another attempt could follow this one: a retryable response is then held back.</summary>
    public bool MoreAttemptsAvailable { get; set; }

    /// <summary>The status of an upstream response that was held back for a retry.</summary>
    public int? SuppressedStatus { get; set; }

    /// <summary>The held-back response's <c>Retry-After</c>, if any.</summary>
    public TimeSpan? SuppressedRetryAfter { get; set; }

    /// <summary>Set when an Anthropic streaming request is served by Bedrock: its event stream is converted to SSE.</summary>
    public bool ConvertBedrockStream { get; set; }

    /// <summary>The gateway key's name, when the client presented one: the client's identity everywhere.</summary>
    public string? ClientName { get; set; }

    /// <summary>The buffered request body, when the gateway holds one (fallback replay, body logging).</summary>
    public MemoryStream? RequestBodyBuffer { get; set; }

    /// <summary>How many response bytes to keep for body logging (0: none).</summary>
    public int CaptureResponseBytes { get; set; }

    /// <summary>Clears what one attempt left behind before the next one.</summary>
    public void ResetForAttempt()
    {
        Tap = null;
        UpstreamStatus = null;
        SuppressedStatus = null;
        SuppressedRetryAfter = null;
        ConvertBedrockStream = false;
        StripInjectedUsageChunk = false;
        RequestedModel = null;
    }

    /// <summary>The request's usage record once it has been recorded (token budgets settle with it).</summary>
    public Gateway.Pricing.Usage.UsageRecord? Usage { get; set; }

    public static GatewayRequestFeature? Get(HttpContext context) => context.Features.Get<GatewayRequestFeature>();
}
