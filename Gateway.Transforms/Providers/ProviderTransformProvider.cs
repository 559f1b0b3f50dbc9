using System.Net.Http.Headers;
using Gateway.Transforms.Bedrock;
using Gateway.Transforms.Correlation;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Requests;
using Gateway.Transforms.Usage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Providers;

/// <summary>
/// Adds the gateway's transforms to every route whose cluster names a <c>Provider</c>: correlation headers,
/// credential injection or SigV4 signing, no <c>Accept-Encoding</c> (so bodies can be read), OpenAI stream usage,
/// Anthropic→Bedrock conversion on fallback, holding back retryable responses while a fallback remains, and the
/// usage tap on the response body.
/// </summary>
internal sealed class ProviderTransformProvider : ITransformProvider
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _timeProvider;
    private readonly BedrockModelMap _bedrockModels;

    public ProviderTransformProvider(IConfiguration configuration, TimeProvider timeProvider, BedrockModelMap bedrockModels)
    {
        _configuration = configuration;
        _timeProvider = timeProvider;
        _bedrockModels = bedrockModels;
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
        var metadata = context.Cluster.Metadata;
        if (metadata is not null && metadata.TryGetValue(ProviderApis.MetadataKey, out var value) && !ProviderApis.TryParse(value, out _))
        {
            context.Errors.Add(new ArgumentException(
                $"ReverseProxy:Clusters:{context.Cluster.ClusterId}:Metadata:Provider '{value}' is not one of anthropic, openai, openai-compatible, gemini, bedrock, mock."));
        }
    }

    public void Apply(TransformBuilderContext context)
    {
        var cluster = context.Cluster;
        if (cluster?.Metadata is null
            || !cluster.Metadata.TryGetValue(ProviderApis.MetadataKey, out var apiName)
            || !ProviderApis.TryParse(apiName, out var api))
        {
            return;
        }

        var target = new Target(
            api,
            cluster.ClusterId,
            context.Route.RouteId,
            ProviderCredential.Resolve(api, cluster.Metadata, _configuration),
            api == ProviderApi.Bedrock ? AwsCredentials.FromConfiguration(_configuration) : null,
            cluster.Metadata.TryGetValue("AwsRegion", out var region) ? region : null);

        context.AddRequestTransform(request => TransformRequestAsync(request, target));
        context.AddResponseTransform(response => TransformResponseAsync(response, target));
    }

    internal static bool IsRetryable(int status) => status is 408 or 429 or >= 500;

    private async ValueTask TransformRequestAsync(RequestTransformContext context, Target target)
    {
        var headers = context.ProxyRequest.Headers;

        // Compressed upstream bodies could not be read for usage; providers answer uncompressed when not asked.
        headers.Remove("Accept-Encoding");

        var feature = GatewayRequestFeature.Get(context.HttpContext);
        if (feature is not null)
        {
            feature.Provider = target.ClusterId;
            feature.ProviderApi = target.Api.Name();
            feature.RouteId ??= target.RouteId;
            feature.ClientApi ??= target.Api.Name();
            var path = context.Path.Value ?? string.Empty;
            feature.Shape = UsageShapes.Detect(target.Api, path);

            // The validated (or newly created) ids go upstream, never a raw header the client sent.
            headers.Remove(CorrelationHeaders.CorrelationId);
            headers.Remove(CorrelationHeaders.SessionId);
            headers.TryAddWithoutValidation(CorrelationHeaders.CorrelationId, feature.CorrelationId);
            if (feature.SessionId is not null)
            {
                headers.TryAddWithoutValidation(CorrelationHeaders.SessionId, feature.SessionId);
            }

            feature.RequestBytes = context.HttpContext.Request.ContentLength ?? 0;
            if (target.Api == ProviderApi.Bedrock && feature.ClientApi is "anthropic" or "mock")
            {
                await ConvertAnthropicToBedrockAsync(context, feature).ConfigureAwait(false);
            }
            else if (target.Api == ProviderApi.Bedrock)
            {
                feature.RequestedModel = UsageShapes.BedrockModelFromPath(path);
            }

            if (feature.Shape == UsageShape.OpenAIChat && target.Api is ProviderApi.OpenAI or ProviderApi.Mock)
            {
                var newLength = await OpenAIStreamUsageRequest.TryRewriteAsync(context.HttpContext.Request, context.CancellationToken).ConfigureAwait(false);
                if (newLength is { } length && context.ProxyRequest.Content is not null)
                {
                    context.ProxyRequest.Content.Headers.ContentLength = length;
                    feature.StripInjectedUsageChunk = true;
                }
            }
        }

        if (target.Aws is not null)
        {
            await SignAsync(context, target).ConfigureAwait(false);
        }
        else
        {
            target.Credential?.Apply(context);
        }
    }

    private async ValueTask ConvertAnthropicToBedrockAsync(RequestTransformContext context, GatewayRequestFeature feature)
    {
        var request = context.HttpContext.Request;
        if (!context.Path.Value!.EndsWith("/messages", StringComparison.Ordinal) || request.ContentLength is null or 0)
        {
            return;
        }

        var body = new byte[request.ContentLength.Value];
        await request.Body.ReadExactlyAsync(body, context.CancellationToken).ConfigureAwait(false);
        var converted = AnthropicToBedrock.Convert(body, _bedrockModels);
        if (converted is not { } c)
        {
            request.Body = new MemoryStream(body, writable: false);
            return;
        }

        request.Body = new MemoryStream(c.Body, writable: false);
        request.ContentLength = c.Body.Length;
        context.ProxyRequest.Content!.Headers.ContentLength = c.Body.Length;
        context.Path = c.Path;
        feature.Shape = UsageShape.AnthropicMessages;
        feature.RequestedModel = c.BedrockModel;
        feature.ConvertBedrockStream = c.Stream;

        // Anthropic's own headers mean nothing to AWS, and the client's Anthropic key must not travel there.
        foreach (var name in new[] { "anthropic-version", "anthropic-beta", "x-api-key", "Authorization" })
        {
            context.ProxyRequest.Headers.Remove(name);
        }
    }

    private async ValueTask SignAsync(RequestTransformContext context, Target target)
    {
        context.ProxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(context.DestinationPrefix, context.Path, context.Query.QueryString);
        var payloadHash = await HashBodyAsync(context.HttpContext.Request, context.CancellationToken).ConfigureAwait(false);
        SigV4RequestSigner.Sign(context.ProxyRequest, payloadHash, target.Aws!, target.Region, _timeProvider.GetUtcNow());
    }

    private static async ValueTask<string> HashBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0)
        {
            return SigV4Signer.EmptyPayloadHash;
        }

        // The failover step buffers provider request bodies, so the body can be read and rewound here.
        if (!request.Body.CanSeek)
        {
            var copy = new MemoryStream();
            await request.Body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            request.Body = copy;
        }

        request.Body.Position = 0;
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private async ValueTask TransformResponseAsync(ResponseTransformContext context, Target target)
    {
        var feature = GatewayRequestFeature.Get(context.HttpContext);
        var response = context.ProxyResponse;
        if (feature is null || response is null || context.SuppressResponseBody)
        {
            return;
        }

        var status = (int)response.StatusCode;
        feature.UpstreamStatus = status;
        if (IsRetryable(status) && feature.MoreAttemptsAvailable)
        {
            // Held back: the failover step tries the next provider and the client never sees this one.
            context.SuppressResponseBody = true;
            feature.SuppressedStatus = status;
            feature.SuppressedRetryAfter = RetryAfter(response);
            return;
        }

        var shape = status is >= 200 and < 300 ? feature.Shape : UsageShape.Unknown;
        var upstream = await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false);
        var framing = FramingOf(response.Content.Headers.ContentType);
        if (feature.ConvertBedrockStream && framing == BodyFraming.AwsEventStream)
        {
            upstream = new EventStreamToSseStream(upstream);
            framing = BodyFraming.ServerSentEvents;
            context.HttpContext.Response.ContentType = "text/event-stream";
            context.HttpContext.Response.ContentLength = null;
        }

        var parser = new UsageParser(shape, framing, feature.RequestedModel);
        if (target.Api == ProviderApi.Bedrock)
        {
            ReadBedrockHeaderCounts(response.Headers, parser);
        }

        var tap = new UsageTapStream(upstream, parser, _timeProvider, feature.StripInjectedUsageChunk && shape == UsageShape.OpenAIChat, feature.CaptureResponseBytes);
        feature.Tap = tap;
        response.Content = new TapContent(tap);
    }

    /// <summary><c>Retry-After</c> as delta-seconds or an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }

    private static BodyFraming FramingOf(MediaTypeHeaderValue? contentType) => contentType?.MediaType switch
    {
        "text/event-stream" => BodyFraming.ServerSentEvents,
        "application/vnd.amazon.eventstream" => BodyFraming.AwsEventStream,
        _ => BodyFraming.Json,
    };

    private static void ReadBedrockHeaderCounts(HttpResponseHeaders headers, UsageParser parser)
    {
        Read("X-Amzn-Bedrock-Input-Token-Count", UsageField.MetricInputTokenCount);
        Read("X-Amzn-Bedrock-Output-Token-Count", UsageField.MetricOutputTokenCount);
        Read("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", UsageField.MetricCacheReadInputTokenCount);
        Read("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", UsageField.MetricCacheWriteInputTokenCount);

        void Read(string name, UsageField field)
        {
            if (headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), out var count))
            {
                parser.SetHeaderCount(field, count);
            }
        }
    }

    private sealed record Target(ProviderApi Api, string ClusterId, string RouteId, ProviderCredential? Credential, AwsCredentials? Aws, string? Region);
}
