using System.Diagnostics;
using Gateway.Transforms.Requests;
using Microsoft.AspNetCore.Http;

namespace Gateway.Transforms.Correlation;

/// <summary>
/// Accepts or creates the correlation id, accepts a valid session id, and echoes both on every response
/// (errors and 429s included). Everything after it reads them from <see cref="GatewayRequestFeature"/>.
/// </summary>
public sealed class CorrelationMiddleware
{
    private static readonly Func<object, Task> EchoHeaders = static state =>
    {
        var context = (HttpContext)state;
        var feature = context.Features.Get<GatewayRequestFeature>()!;
        var headers = context.Response.Headers;
        headers[CorrelationHeaders.CorrelationId] = feature.CorrelationId;
        if (feature.SessionId is not null)
        {
            headers[CorrelationHeaders.SessionId] = feature.SessionId;
        }

        return Task.CompletedTask;
    };

    private readonly RequestDelegate _next;
    private readonly TimeProvider _timeProvider;

    public CorrelationMiddleware(RequestDelegate next, TimeProvider timeProvider)
    {
        _next = next;
        _timeProvider = timeProvider;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var given = headers[CorrelationHeaders.CorrelationId];
        var correlationId = given.Count == 1 && CorrelationHeaders.IsValid(given[0]) ? given[0]! : NewId();
        var session = headers[CorrelationHeaders.SessionId];
        var sessionId = session.Count == 1 && CorrelationHeaders.IsValid(session[0]) ? session[0] : null;

        var feature = new GatewayRequestFeature(correlationId, sessionId, _timeProvider.GetTimestamp());
        context.Features.Set(feature);
        context.Response.OnStarting(EchoHeaders, context);

        if (Activity.Current is { } activity)
        {
            activity.SetTag("correlation_id", correlationId);
            if (sessionId is not null)
            {
                activity.SetTag("gen_ai.conversation.id", sessionId);
            }
        }

        return _next(context);
    }

    /// <summary>
    /// A random (version 4 layout) UUID from the shared non-cryptographic generator: ids must be unique, not
    /// unguessable, and <see cref="Guid.NewGuid"/> costs a system call for kernel randomness on every request.
    /// </summary>
    internal static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout: byte 7 is the high byte of the third group)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
