using System.Net.Http.Headers;
using Gateway.Transforms.Correlation;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Requests;
using Gateway.Transforms.Usage;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Gateway.Transforms.Providers;

/// <summary>
/// Adds the gateway's transforms to every route whose cluster names a <c>Provider</c>: correlation headers,
/// credential injection, no <c>Accept-Encoding</c> (so bodies can be read), OpenAI stream usage, and the usage
/// tap on the response body.
/// </summary>
internal sealed class ProviderTransformProvider : ITransformProvider
{
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _timeProvider;

    public ProviderTransformProvider(IConfiguration configuration, TimeProvider timeProvider)
    {
        _configuration = configuration;
        _timeProvider = timeProvider;
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

        var clusterId = cluster.ClusterId;
        var routeId = context.Route.RouteId;
        var credential = ProviderCredential.Resolve(api, cluster.Metadata, _configuration);

        context.AddRequestTransform(request => TransformRequestAsync(request, api, clusterId, routeId, credential));
        context.AddResponseTransform(response => TransformResponseAsync(response, api));
    }

    private static async ValueTask TransformRequestAsync(
        RequestTransformContext context, ProviderApi api, string clusterId, string routeId, ProviderCredential? credential)
    {
        var headers = context.ProxyRequest.Headers;

        // Compressed upstream bodies could not be read for usage; providers answer uncompressed when not asked.
        headers.Remove("Accept-Encoding");

        var feature = GatewayRequestFeature.Get(context.HttpContext);
        if (feature is not null)
        {
            feature.Provider = clusterId;
            feature.ProviderApi = api.Name();
            feature.RouteId = routeId;
            var path = context.Path.Value ?? string.Empty;
            feature.Shape = UsageShapes.Detect(api, path);
            if (api == ProviderApi.Bedrock)
            {
                feature.RequestedModel = UsageShapes.BedrockModelFromPath(path);
            }

            // The validated (or newly created) ids go upstream, never a raw header the client sent.
            headers.Remove(CorrelationHeaders.CorrelationId);
            headers.Remove(CorrelationHeaders.SessionId);
            headers.TryAddWithoutValidation(CorrelationHeaders.CorrelationId, feature.CorrelationId);
            if (feature.SessionId is not null)
            {
                headers.TryAddWithoutValidation(CorrelationHeaders.SessionId, feature.SessionId);
            }

            feature.RequestBytes = context.HttpContext.Request.ContentLength ?? 0;
            if (feature.Shape == UsageShape.OpenAIChat && api is ProviderApi.OpenAI or ProviderApi.Mock)
            {
                var newLength = await OpenAIStreamUsageRequest.TryRewriteAsync(context.HttpContext.Request, context.CancellationToken).ConfigureAwait(false);
                if (newLength is { } length && context.ProxyRequest.Content is not null)
                {
                    context.ProxyRequest.Content.Headers.ContentLength = length;
                    feature.StripInjectedUsageChunk = true;
                }
            }
        }

        credential?.Apply(context);
    }

    private async ValueTask TransformResponseAsync(ResponseTransformContext context, ProviderApi api)
    {
        var feature = GatewayRequestFeature.Get(context.HttpContext);
        var response = context.ProxyResponse;
        if (feature is null || response is null || context.SuppressResponseBody)
        {
            return;
        }

        var status = (int)response.StatusCode;
        feature.UpstreamStatus = status;
        var shape = status is >= 200 and < 300 ? feature.Shape : UsageShape.Unknown;
        var parser = new UsageParser(shape, FramingOf(response.Content.Headers.ContentType), feature.RequestedModel);
        if (api == ProviderApi.Bedrock)
        {
            ReadBedrockHeaderCounts(response.Headers, parser);
        }

        var upstream = await response.Content.ReadAsStreamAsync(context.CancellationToken).ConfigureAwait(false);
        var tap = new UsageTapStream(upstream, parser, _timeProvider, feature.StripInjectedUsageChunk && shape == UsageShape.OpenAIChat);
        feature.Tap = tap;
        var replacement = new StreamContent(tap);
        foreach (var header in response.Content.Headers)
        {
            replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = replacement;
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
}
