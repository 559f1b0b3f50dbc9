using Gateway.Proxy.Access;
using Gateway.Proxy.Errors;
using Gateway.Proxy.Hosting;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Telemetry;
using Gateway.Transforms.Requests;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.RateLimiting;

/// <summary>
/// Limits each client per endpoint (route metadata <c>RateLimit</c>, an endpoint's own limit, or
/// <c>RATE_LIMIT_DEFAULT</c>), and optionally per tokens per minute: a request reserves an upper bound of its
/// tokens when it starts and settles with the usage the response reported when it ends.
/// </summary>
internal sealed class RateLimitMiddleware
{
    private static readonly TimeSpan TokenWindow = TimeSpan.FromMinutes(1);

    private readonly RequestDelegate _next;
    private readonly RateLimitOptions _options;
    private readonly IRateLimitStore _store;
    private readonly ClientLabels _labels;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<GatewayOptions> _gatewayOptions;
    private readonly ILogger<RateLimitMiddleware> _logger;
    private int _outage;

    public RateLimitMiddleware(
        RequestDelegate next, RateLimitOptions options, IRateLimitStore store, ClientLabels labels, GatewayMetrics metrics,
        TimeProvider timeProvider, IOptionsMonitor<GatewayOptions> gatewayOptions, ILogger<RateLimitMiddleware> logger)
    {
        _next = next;
        _options = options;
        _store = store;
        _labels = labels;
        _metrics = metrics;
        _timeProvider = timeProvider;
        _gatewayOptions = gatewayOptions;
        _logger = logger;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (!_options.Enabled || endpoint is null || endpoint.Metadata.GetMetadata<GatewayRateLimitExemptMetadata>() is not null)
        {
            return _next(context);
        }

        var route = endpoint.Metadata.GetMetadata<RouteModel>();
        var feature = GatewayRequestFeature.Get(context);
        var rule = endpoint.Metadata.GetMetadata<GatewayRateLimitMetadata>()?.Rule
            ?? (route is null ? null : RouteRule(route.Config))
            ?? context.Features.Get<GatewayKey>()?.RateLimit
            ?? _options.Default;
        var endpointName = route?.Config.Match.Path ?? (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "/";
        // A gateway key's name is the identity; else the guide's order (client id, hashed key, IP).
        var identity = feature?.ClientName is { } name ? "gwkey:" + name : ClientIdentity.Resolve(context, _options.TrustedProxies);
        var now = _timeProvider.GetUtcNow();
        var budgeted = _options.TokensPerMinute is not null && (route is not null || endpointName == "/v1/generate");

        var pending = TakeAsync("req:" + endpointName + ":" + identity, rule.Count, rule.Window, 1, now);
        if (!pending.IsCompletedSuccessfully)
        {
            return ContinueAsync(context, pending, endpointName, identity, rule, budgeted, now);
        }

        // The common case (an in-memory store answers at once, no token budget): no async frame of its own.
        var decision = pending.Result;
        if (decision is { Allowed: true } allowed && !budgeted)
        {
            AddHeadersOnStarting(context, allowed);
            return _next(context);
        }

        return ContinueAsync(context, new ValueTask<RateLimitDecision?>(decision), endpointName, identity, rule, budgeted, now);
    }

    private static void AddHeadersOnStarting(HttpContext context, RateLimitDecision decision) =>
        context.Response.OnStarting(static state =>
        {
            var (ctx, d) = ((HttpContext, RateLimitDecision))state;
            WriteHeaders(ctx.Response.Headers, d);
            return Task.CompletedTask;
        }, (context, decision));

    private async Task ContinueAsync(HttpContext context, ValueTask<RateLimitDecision?> pending, string endpointName, string identity, RateLimitRule rule, bool budgeted, DateTimeOffset now)
    {
        var decision = await pending;
        if (decision is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Rate limiting is unavailable");
            return;
        }

        var limited = decision.Value;
        AddHeadersOnStarting(context, limited);
        if (!limited.Allowed)
        {
            await RejectAsync(context, limited, endpointName, identity, rule.ToString());
            return;
        }

        TokenReservation? reservation = null;
        if (budgeted && _options.TokensPerMinute is { } budget)
        {
            var body = await BufferBodyAsync(context);
            var reserve = TokenEstimate.Reserve(body, _options.DefaultMaxOutputTokens);
            var tokens = await TakeAsync("tok:" + identity, budget, TokenWindow, Math.Min(reserve, budget), now);
            if (tokens is { Allowed: false } refused)
            {
                await RejectAsync(context, refused, endpointName, identity, budget + " tokens/minute");
                return;
            }

            if (tokens is { } taken)
            {
                reservation = new TokenReservation("tok:" + identity, taken.WindowId, Math.Min(reserve, budget));
            }
        }

        try
        {
            await _next(context);
        }
        finally
        {
            if (reservation is { } r)
            {
                var actual = GatewayRequestFeature.Get(context)?.Usage?.Usage.TotalTokens ?? 0;
                await SettleAsync(r, actual);
            }
        }
    }

    /// <summary>
    /// The route's own <c>RateLimit</c> metadata (validated when the routes were loaded), parsed once per route
    /// config: a reload makes new configs, so nothing stale is kept.
    /// </summary>
    private static RateLimitRule? RouteRule(RouteConfig route) =>
        RouteRules.GetValue(route, static r => new RouteLimit(
            RateLimitRule.TryParse(r.Metadata?.GetValueOrDefault("RateLimit"), out var rule) ? rule : null)).Rule;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<RouteConfig, RouteLimit> RouteRules = new();

    private sealed record RouteLimit(RateLimitRule? Rule);

    private static void WriteHeaders(IHeaderDictionary headers, RateLimitDecision decision)
    {
        headers["X-RateLimit-Limit"] = decision.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = decision.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = ResetSeconds(decision).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long ResetSeconds(RateLimitDecision decision) => Math.Max(1, (long)Math.Ceiling(decision.ResetAfter.TotalSeconds));

    private async Task RejectAsync(HttpContext context, RateLimitDecision decision, string endpointName, string identity, string limit)
    {
        // Key names are configured (bounded) and not secret: they are their own label.
        var label = identity.StartsWith("gwkey:", StringComparison.Ordinal) ? identity[6..] : _labels.For(identity);
        _metrics.RateLimitHit(endpointName, label);
        Log.RateLimitExceeded(_logger, endpointName, label, limit, ResetSeconds(decision));
        context.Response.Headers.RetryAfter = ResetSeconds(decision).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ErrorResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Rate limit exceeded");
    }

    /// <summary>Takes from the store; on a store outage fails open (allowed) or closed (null) as configured.</summary>
    private async ValueTask<RateLimitDecision?> TakeAsync(string key, long limit, TimeSpan window, long cost, DateTimeOffset now)
    {
        try
        {
            var decision = await _store.TryAcquireAsync(key, limit, window, cost, now);
            if (Interlocked.Exchange(ref _outage, 0) == 1)
            {
                Log.RateLimitStoreRecovered(_logger);
            }

            return decision;
        }
        catch (RateLimitStoreUnavailableException ex)
        {
            _metrics.RateLimitStoreError();
            if (Interlocked.Exchange(ref _outage, 1) == 0)
            {
                Log.RateLimitStoreUnavailable(_logger, _options.FailClosed ? "closed" : "open", ex);
            }

            return _options.FailClosed ? null : new RateLimitDecision(true, limit, limit, window, -1);
        }
    }

    private async Task SettleAsync(TokenReservation reservation, long actual)
    {
        if (reservation.WindowId < 0)
        {
            return;
        }

        try
        {
            await _store.AdjustAsync(reservation.Key, TokenWindow, reservation.WindowId, actual - reservation.Reserved);
        }
        catch (RateLimitStoreUnavailableException)
        {
            _metrics.RateLimitStoreError();
        }
    }

    private async Task<byte[]> BufferBodyAsync(HttpContext context)
    {
        var request = context.Request;
        var limit = _gatewayOptions.CurrentValue.MaxReplayBodyBytes;
        if (request.ContentLength is null or 0 || request.ContentLength > limit)
        {
            // Unknown or too large to hold: the reservation counts the declared length (or nothing) plus max output.
            return [];
        }

        var body = new byte[request.ContentLength.Value];
        await request.Body.ReadExactlyAsync(body, context.RequestAborted);
        request.Body = new MemoryStream(body, writable: false);
        return body;
    }

    private readonly record struct TokenReservation(string Key, long WindowId, long Reserved);
}
