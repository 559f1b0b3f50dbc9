using System.Text.Json;
using Yarp.ReverseProxy;

namespace Gateway.Proxy.Health;

/// <summary><c>GET /health</c> (the process is up) and <c>GET /health/ready</c> (providers' health from YARP's state).</summary>
internal static class HealthEndpoints
{
    public static Task Live(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":\"ok\"}", context.RequestAborted);
    }

    /// <summary>200 while at least one provider has a usable destination (status <c>degraded</c> if some have none), else 503.</summary>
    public static async Task Ready(HttpContext context, IProxyStateLookup state)
    {
        var clusters = state.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal).ToList();
        var available = clusters.Count(c => c.DestinationsState.AvailableDestinations.Count > 0);
        var status = available == clusters.Count && clusters.Count > 0 ? "ready" : available > 0 ? "degraded" : "unavailable";
        context.Response.StatusCode = available > 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("status", status);
        writer.WriteStartObject("providers");
        var destinations = ProviderHealthReader.Read(state).ToLookup(d => d.Provider, StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            writer.WriteStartObject(cluster.ClusterId);
            writer.WriteBoolean("available", cluster.DestinationsState.AvailableDestinations.Count > 0);
            writer.WriteStartObject("destinations");
            foreach (var destination in destinations[cluster.ClusterId])
            {
                writer.WriteStartObject(destination.Destination);
                writer.WriteString("passive", destination.Passive);
                writer.WriteString("active", destination.Active);
                writer.WriteBoolean("healthy", destination.Healthy);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
