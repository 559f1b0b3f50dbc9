using System.Text.Json;
using Gateway.Transforms.Requests;

namespace Gateway.Proxy.Errors;

/// <summary>The gateway's own error bodies: <c>{"detail": ..., "correlation_id": ...}</c>, never a stack trace.</summary>
public static class ErrorResponses
{
    public static Task WriteAsync(HttpContext context, int status, string detail)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        var correlationId = GatewayRequestFeature.Get(context)?.CorrelationId;
        return response.WriteAsync(Body(detail, correlationId), context.RequestAborted);
    }

    internal static string Body(string detail, string? correlationId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("detail", detail);
            writer.WriteString("correlation_id", correlationId);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Endpoint for paths no route matches.</summary>
    public static Task NotFound(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status404NotFound, $"No route matches {context.Request.Method} {context.Request.Path}");
}
