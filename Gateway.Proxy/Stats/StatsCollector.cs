using System.Text.Json;
using Gateway.Pricing.Usage;
using Gateway.Proxy.Usage;

namespace Gateway.Proxy.Stats;

/// <summary>In-process request counters for <c>/metrics/stats</c>, fed by the <see cref="UsageRecorder"/>.</summary>
public sealed class StatsCollector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Counts> _byProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counts> _byModel = new(StringComparer.Ordinal);
    private Counts _total;

    public StatsCollector(UsageRecorder recorder)
    {
        recorder.Recorded += OnRecorded;
    }

    public void Write(Utf8JsonWriter writer)
    {
        lock (_gate)
        {
            writer.WriteStartObject("requests");
            writer.WriteNumber("total", _total.Total);
            writer.WriteNumber("success", _total.Success);
            writer.WriteNumber("failed", _total.Failed);
            WriteGroup(writer, "by_provider", _byProvider);
            WriteGroup(writer, "by_model", _byModel);
            writer.WriteEndObject();
        }
    }

    private void OnRecorded(UsageRecord record, CompletedRequest request)
    {
        var failed = request.ErrorType is not null;
        var model = record.CatalogModelId ?? (record.Model is null ? UsageRecorder.UnknownModel : UsageRecorder.OtherModel);
        lock (_gate)
        {
            _total = _total.Add(failed);
            _byProvider[request.Provider] = _byProvider.GetValueOrDefault(request.Provider).Add(failed);
            _byModel[model] = _byModel.GetValueOrDefault(model).Add(failed);
        }
    }

    private static void WriteGroup(Utf8JsonWriter writer, string name, Dictionary<string, Counts> group)
    {
        writer.WriteStartObject(name);
        foreach (var (key, counts) in group.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(key);
            writer.WriteNumber("total", counts.Total);
            writer.WriteNumber("success", counts.Success);
            writer.WriteNumber("failed", counts.Failed);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private readonly record struct Counts(long Total, long Success, long Failed)
    {
        public Counts Add(bool failed) => new(Total + 1, Success + (failed ? 0 : 1), Failed + (failed ? 1 : 0));
    }
}
