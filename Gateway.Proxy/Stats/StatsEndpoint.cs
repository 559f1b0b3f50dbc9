using System.Text.Json;
using Gateway.Pricing.Ledger;

namespace Gateway.Proxy.Stats;

/// <summary><c>GET /metrics/stats</c>: human-readable JSON, with the guide's <c>cost_tracking</c> block.</summary>
internal static class StatsEndpoint
{
    public static async Task WriteAsync(HttpContext context, CostLedger ledger, StatsCollector collector)
    {
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        collector.Write(writer);
        WriteCostTracking(writer, ledger.Snapshot());
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }

    internal static void WriteCostTracking(Utf8JsonWriter writer, CostLedgerSnapshot snapshot)
    {
        writer.WriteStartObject("cost_tracking");
        writer.WriteNumber("total_cost_usd", snapshot.TotalCostUsd);
        writer.WriteNumber("total_input_tokens", snapshot.TotalInputTokens);
        writer.WriteNumber("total_output_tokens", snapshot.TotalOutputTokens);
        writer.WriteNumber("total_tokens", snapshot.TotalTokens);
        writer.WriteNumber("requests_tracked", snapshot.RequestsTracked);
        writer.WriteNumber("average_cost_per_request", decimal.Round(snapshot.AverageCostPerRequest, 10));
        WriteMap(writer, "cost_by_model", snapshot.CostByModel);
        WriteMap(writer, "cost_by_provider", snapshot.CostByProvider);
        writer.WriteNumber("cache_read_tokens", snapshot.CacheReadTokens);
        writer.WriteNumber("cache_write_tokens", snapshot.CacheWriteTokens);
        writer.WriteNumber("reasoning_tokens", snapshot.ReasoningTokens);
        writer.WriteNumber("unpriced_requests", snapshot.UnpricedRequests);
        writer.WriteNumber("partial_usage_records", snapshot.PartialRecords);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, decimal> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }
}
