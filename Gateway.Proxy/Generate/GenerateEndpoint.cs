using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Gateway.Pricing.Usage;
using Gateway.Proxy.Errors;
using Gateway.Proxy.Fallback;
using Gateway.Proxy.Generate.Adapters;
using Gateway.Proxy.Health;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Sanitization;
using Gateway.Proxy.Telemetry;
using Gateway.Proxy.Usage;
using Gateway.Transforms.Bedrock;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Providers;
using Gateway.Transforms.Requests;
using Gateway.Transforms.Usage;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Generate;

/// <summary>
/// <c>POST /v1/generate</c>: the guide's unified endpoint. The request names a provider (or the configured
/// chain is used); each provider's adapter translates it; attempts follow the same health and fallback rules as
/// the passthrough routes, and the same usage, cost, metrics, span and log code records the result.
/// </summary>
internal sealed class GenerateEndpoint
{
    private static readonly JsonSerializerOptions Compact = new();

    private readonly IProxyStateLookup _state;
    private readonly GenerateSender _sender;
    private readonly UsageRecorder _recorder;
    private readonly GatewayMetrics _metrics;
    private readonly LlmPassiveHealthPolicy _health;
    private readonly BedrockModelMap _bedrockModels;
    private readonly IOptionsMonitor<GenerateOptions> _options;
    private readonly IOptionsMonitor<GatewayOptions> _gatewayOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GenerateEndpoint> _logger;
    private readonly bool _awsConfigured;
    private readonly Sanitizer _sanitizer;

    public GenerateEndpoint(
        IProxyStateLookup state, GenerateSender sender, UsageRecorder recorder, GatewayMetrics metrics, LlmPassiveHealthPolicy health,
        BedrockModelMap bedrockModels, IOptionsMonitor<GenerateOptions> options, IOptionsMonitor<GatewayOptions> gatewayOptions,
        IConfiguration configuration, Sanitizer sanitizer, TimeProvider timeProvider, ILogger<GenerateEndpoint> logger)
    {
        _sanitizer = sanitizer;
        _state = state;
        _sender = sender;
        _recorder = recorder;
        _metrics = metrics;
        _health = health;
        _bedrockModels = bedrockModels;
        _options = options;
        _gatewayOptions = gatewayOptions;
        _timeProvider = timeProvider;
        _logger = logger;
        _awsConfigured = AwsCredentials.FromConfiguration(configuration) is not null;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var feature = GatewayRequestFeature.Get(context)!;
        var root = Activity.Current;
        GatewayTracing.NameRoot(root, GatewayTracing.GenerateRequest, context.Request.Method, context.Request.Path.Value ?? "/v1/generate");
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }

        if (!GenerateRequest.TryParse(body, out var request, out var error))
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        var chain = Chain(request!, out error);
        if (chain is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        feature.RequestBytes = body.Length;
        var failures = new List<string>();
        string? first = null;
        ProviderApi? previousApi = null;
        var attempt = 0;
        foreach (var clusterId in chain)
        {
            if (!_state.TryGetCluster(clusterId, out var cluster) || !FallbackChain.CanServe(cluster, _awsConfigured)
                || !ProviderApis.TryParse(cluster.Model.Config.Metadata?.GetValueOrDefault(ProviderApis.MetadataKey), out var api))
            {
                failures.Add(clusterId + ": unavailable");
                continue;
            }

            attempt++;
            first ??= clusterId;
            if (attempt > 1)
            {
                Log.ProviderFailedFallback(_logger, feature.Provider ?? first, attempt - 1, failures[^1], feature.UpstreamStatus, clusterId);
                _metrics.FallbackTriggered(first, clusterId);
            }

            feature.ResetForAttempt();
            feature.Attempt = attempt;
            feature.Provider = clusterId;
            feature.ProviderApi = api.Name();
            feature.RouteId = "/v1/generate";
            var model = ModelFor(request!, clusterId, api, attempt, previousApi);
            previousApi = api;
            var outcome = await AttemptAsync(context, feature, request!, cluster, api, model, attempt, root);
            if (outcome is null)
            {
                if (attempt > 1)
                {
                    _metrics.FallbackSucceeded(first, clusterId);
                    Log.FallbackSuccess(_logger, clusterId, attempt, first);
                }

                return;
            }

            failures.Add($"{clusterId}: {outcome}");
            if (context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            {
                return;
            }
        }

        var elapsed = _timeProvider.GetElapsedTime(feature.StartTimestamp).TotalSeconds;
        _recorder.Record(feature, new CompletedRequest(feature.Provider ?? chain[0], feature.ProviderApi ?? chain[0], "/v1/generate", "chat",
            StatusCodes.Status502BadGateway, "all_providers_failed", null, false, elapsed, null, body.Length, 0), root);
        await ErrorResponses.WriteAsync(context, StatusCodes.Status502BadGateway, "All providers failed: " + string.Join("; ", failures));
    }

    /// <summary>One provider attempt; null when it answered the client, else the failure that allows a fallback.</summary>
    private async Task<string?> AttemptAsync(
        HttpContext context, GatewayRequestFeature feature, GenerateRequest request, ClusterState cluster, ProviderApi api, string model, int attempt, Activity? root)
    {
        IGenerateAdapter adapter = api switch
        {
            ProviderApi.OpenAI => new OpenAIAdapter(),
            ProviderApi.Gemini => new GeminiAdapter(),
            ProviderApi.Bedrock => new BedrockAdapter(),
            _ => new AnthropicAdapter(),
        };
        var destinations = cluster.DestinationsState.AvailableDestinations;
        var destination = destinations[Random.Shared.Next(destinations.Count)];
        var span = GatewayTracing.StartAttempt(cluster.ClusterId, attempt);
        span?.SetTag("gen_ai.request.model", model);
        var start = _timeProvider.GetTimestamp();
        _metrics.RequestStarted(cluster.ClusterId);
        HttpResponseMessage? response = null;
        try
        {
            try
            {
                response = await _sender.SendAsync(cluster.Model.Config.Metadata, api, destination.Model.Config.Address, adapter.PathFor(model, request.Stream),
                    adapter.Body(request, model, request.Stream), feature, request.Stream, context.RequestAborted);
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
            {
                var timeout = ex is TimeoutRejectedException or TaskCanceledException;
                _health.Report(cluster, destination, StatusCodes.Status502BadGateway, timeout ? ForwarderError.RequestTimedOut : ForwarderError.Request, null);
                SanitizedExceptions.Record(span, ex, _sanitizer);
                return Fail(span, timeout ? "timeout" : "connection_error");
            }

            var status = (int)response.StatusCode;
            feature.UpstreamStatus = status;
            _health.Report(cluster, destination, status, null, ProviderTransformProvider.RetryAfter(response));
            if (ProviderTransformProvider.IsRetryable(status))
            {
                return Fail(span, ForwarderErrorTypes.FromStatus(status));
            }

            span?.SetTag("http.response.status_code", status);
            span?.Dispose();
            span = null;
            if (status >= 400)
            {
                await WriteProviderErrorAsync(context, feature, response, status, root);
                return null;
            }

            var requestedModel = api == ProviderApi.Bedrock ? model : null;
            if (request.Stream)
            {
                await StreamAsync(context, feature, adapter, response, api, requestedModel, root);
            }
            else
            {
                await RespondAsync(context, feature, adapter, response, requestedModel, root);
            }

            return null;
        }
        finally
        {
            _metrics.RequestEnded(cluster.ClusterId);
            _metrics.ProviderAttempt(cluster.ClusterId, attempt, _timeProvider.GetElapsedTime(start).TotalSeconds);
            span?.Dispose();
            response?.Dispose();
        }
    }

    private static string Fail(Activity? span, string errorType)
    {
        if (span is not null)
        {
            span.SetTag("error", errorType);
            span.SetTag("error.type", errorType);
            span.SetStatus(ActivityStatusCode.Error, errorType);
        }

        return errorType;
    }

    private async Task RespondAsync(HttpContext context, GatewayRequestFeature feature, IGenerateAdapter adapter, HttpResponseMessage response, string? requestedModel, Activity? root)
    {
        using var parser = new UsageParser(adapter.Shape, BodyFraming.Json, requestedModel);
        var bytes = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        parser.Feed(bytes);
        parser.Finish();
        string content;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            content = adapter.ReadContent(document.RootElement);
        }
        catch (JsonException)
        {
            content = string.Empty;
        }

        var elapsed = _timeProvider.GetElapsedTime(feature.StartTimestamp).TotalSeconds;
        var record = _recorder.Record(feature, new CompletedRequest(feature.Provider!, feature.ProviderApi!, "/v1/generate", "chat",
            StatusCodes.Status200OK, null, parser, true, elapsed, null, feature.RequestBytes, bytes.Length), root);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(ResultJson(content, parser.Model, feature, record, elapsed), context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, GatewayRequestFeature feature, IGenerateAdapter adapter, HttpResponseMessage response, ProviderApi api, string? requestedModel, Activity? root)
    {
        var upstream = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        if (api == ProviderApi.Bedrock)
        {
            upstream = new EventStreamToSseStream(upstream);
        }

        using var parser = new UsageParser(adapter.Shape, BodyFraming.ServerSentEvents, requestedModel);
        await using var tap = new UsageTapStream(upstream, parser, _timeProvider);
        using var reader = new StreamReader(tap, Encoding.UTF8);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(context, "start", new Dictionary<string, object?> { ["provider"] = feature.Provider, ["correlation_id"] = feature.CorrelationId });
        var text = new StringBuilder();
        string? errorType = null;
        try
        {
            while (await reader.ReadLineAsync(context.RequestAborted) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var payload = line.AsSpan(5).Trim();
                if (payload.IsEmpty || payload[0] != '{')
                {
                    continue;
                }

                using var document = JsonDocument.Parse(payload.ToString());
                if (adapter.ReadDelta(document.RootElement) is { Length: > 0 } delta)
                {
                    text.Append(delta);
                    await WriteEventAsync(context, "delta", new Dictionary<string, object?> { ["content"] = delta });
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or JsonException or OperationCanceledException)
        {
            errorType = context.RequestAborted.IsCancellationRequested ? "client_aborted" : "upstream_stream_error";
        }

        parser.Finish();
        var elapsed = _timeProvider.GetElapsedTime(feature.StartTimestamp).TotalSeconds;
        double? ttft = tap.FirstByteTimestamp > 0 ? _timeProvider.GetElapsedTime(feature.StartTimestamp, tap.FirstByteTimestamp).TotalSeconds : null;
        var record = _recorder.Record(feature, new CompletedRequest(feature.Provider!, feature.ProviderApi!, "/v1/generate", "chat",
            StatusCodes.Status200OK, errorType, parser, tap.Completed && errorType is null, elapsed, ttft, feature.RequestBytes, tap.BytesRead), root);
        if (errorType is "client_aborted")
        {
            return;
        }

        if (errorType is not null)
        {
            await WriteEventAsync(context, "error", new Dictionary<string, object?> { ["detail"] = "The provider's stream ended abnormally", ["correlation_id"] = feature.CorrelationId });
            return;
        }

        await context.Response.WriteAsync("event: done\ndata: " + ResultJson(text.ToString(), parser.Model, feature, record, elapsed) + "\n\n", context.RequestAborted);
    }

    private async Task WriteProviderErrorAsync(HttpContext context, GatewayRequestFeature feature, HttpResponseMessage response, int status, Activity? root)
    {
        var detail = await response.Content.ReadAsStringAsync(context.RequestAborted);
        var message = detail;
        try
        {
            using var document = JsonDocument.Parse(detail);
            var rootElement = document.RootElement;
            var error = rootElement.TryGetProperty("error", out var e) ? e : rootElement;
            message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() ?? detail : error.ToString();
        }
        catch (JsonException)
        {
        }

        var elapsed = _timeProvider.GetElapsedTime(feature.StartTimestamp).TotalSeconds;
        _recorder.Record(feature, new CompletedRequest(feature.Provider!, feature.ProviderApi!, "/v1/generate", "chat",
            status, ForwarderErrorTypes.FromStatus(status), null, false, elapsed, null, feature.RequestBytes, detail.Length), root);
        await ErrorResponses.WriteAsync(context, status, $"{feature.Provider} rejected the request ({status}): {Truncate(message, 500)}");
    }

    private static string ResultJson(string content, string? model, GatewayRequestFeature feature, UsageRecord? record, double elapsedSeconds)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("content", content);
            writer.WriteString("model", model);
            writer.WriteString("provider", feature.Provider);
            writer.WriteStartObject("usage");
            var usage = record?.Usage ?? default;
            writer.WriteNumber("input_tokens", usage.TotalInputTokens);
            writer.WriteNumber("output_tokens", usage.OutputTokens);
            writer.WriteNumber("total_tokens", usage.TotalTokens);
            writer.WriteEndObject();
            if (record?.Cost is { } cost)
            {
                writer.WriteNumber("cost_usd", cost);
            }
            else
            {
                writer.WriteNull("cost_usd");
            }

            writer.WriteString("correlation_id", feature.CorrelationId);
            writer.WriteNumber("latency_ms", Math.Round(elapsedSeconds * 1000, 2));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static async Task WriteEventAsync(HttpContext context, string name, Dictionary<string, object?> data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data, Compact)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private List<string>? Chain(GenerateRequest request, out string? error)
    {
        error = null;
        var known = _state.GetClusters()
            .Where(c => ProviderApis.TryParse(c.Model.Config.Metadata?.GetValueOrDefault(ProviderApis.MetadataKey), out _))
            .Select(c => c.ClusterId)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (request.Provider is null)
        {
            var configured = _options.CurrentValue.DefaultChain.Count > 0 ? _options.CurrentValue.DefaultChain : ["mock"];
            return configured.Where(known.Contains).ToList();
        }

        if (!known.Contains(request.Provider))
        {
            error = $"provider '{request.Provider}' is not one of {string.Join(", ", known.Order(StringComparer.Ordinal))}";
            return null;
        }

        var chain = new List<string> { request.Provider };
        if (_state.TryGetCluster(request.Provider, out var cluster))
        {
            chain.AddRange(FallbackChain.Resolve(cluster.Model.Config).Where(known.Contains));
        }

        return chain;
    }

    private string ModelFor(GenerateRequest request, string clusterId, ProviderApi api, int attempt, ProviderApi? previousApi)
    {
        if (request.Model is not null)
        {
            if (attempt == 1)
            {
                return request.Model;
            }

            // The same Claude model is served by Bedrock under its Bedrock id.
            if (api == ProviderApi.Bedrock && previousApi is ProviderApi.Anthropic or ProviderApi.Mock && _bedrockModels.Resolve(request.Model) is { } mapped)
            {
                return mapped;
            }
        }

        return _options.CurrentValue.Providers.GetValueOrDefault(clusterId)?.DefaultModel ?? api switch
        {
            ProviderApi.OpenAI => "gpt-4o-mini",
            ProviderApi.Gemini => "gemini-2.5-flash",
            ProviderApi.Bedrock => "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
            _ => "claude-sonnet-4-5-20250929",
        };
    }

    private async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        var max = _gatewayOptions.CurrentValue.MaxRequestBodyBytes;
        if (context.Request.ContentLength > max)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body of {context.Request.ContentLength} bytes exceeds the limit of {max} bytes");
            return null;
        }

        using var buffer = new MemoryStream();
        try
        {
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body exceeds the limit of {max} bytes");
            return null;
        }

        return buffer.ToArray();
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max] + "…";
}
