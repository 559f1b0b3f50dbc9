using System.Text.Json;
using Gateway.Proxy.Telemetry;

namespace Gateway.Proxy.Stats;

/// <summary>
/// In-process numbers for <c>/metrics/stats</c>, fed by <see cref="GatewayMetrics"/> so each event has one call
/// site. Memory is bounded: keys are providers, catalog models, endpoints and (capped) hashed client labels;
/// latencies are fixed-size sketches; sessions are a HyperLogLog window.
/// </summary>
public sealed class StatsCollector
{
    private const int MaxClients = 1000;
    private const int TopClients = 10;
    private static readonly double[] Quantiles = [0.50, 0.90, 0.95, 0.99];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _byProvider = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group> _byModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fallbacksTriggered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _fallbacksSucceeded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rateLimitByEndpoint = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rateLimitByClient = new(StringComparer.Ordinal);
    private readonly Group _total = new();

    public StatsCollector(TimeProvider timeProvider)
    {
        Sessions = new UniqueSessionCounter(timeProvider, TimeSpan.FromHours(1));
    }

    public UniqueSessionCounter Sessions { get; }

    /// <summary>Provider health rows, set by the host once YARP's state is available.</summary>
    public Func<IReadOnlyList<ProviderHealthEntry>>? HealthSource { get; set; }

    public void RequestCompleted(string provider, string model, bool failed, double seconds)
    {
        lock (_gate)
        {
            _total.Add(failed, seconds);
            Get(_byProvider, provider).Add(failed, seconds);
            Get(_byModel, model).Add(failed, seconds);
        }
    }

    public void Fallback(string from, string to, bool succeeded)
    {
        var key = from + "->" + to;
        lock (_gate)
        {
            var target = succeeded ? _fallbacksSucceeded : _fallbacksTriggered;
            target[key] = target.GetValueOrDefault(key) + 1;
        }
    }

    public void RateLimitHit(string endpoint, string clientLabel)
    {
        lock (_gate)
        {
            _rateLimitByEndpoint[endpoint] = _rateLimitByEndpoint.GetValueOrDefault(endpoint) + 1;
            var client = _rateLimitByClient.Count < MaxClients || _rateLimitByClient.ContainsKey(clientLabel) ? clientLabel : "other";
            _rateLimitByClient[client] = _rateLimitByClient.GetValueOrDefault(client) + 1;
        }
    }

    public void Write(Utf8JsonWriter writer)
    {
        lock (_gate)
        {
            writer.WriteStartObject("requests");
            _total.WriteCounts(writer);
            WriteGroups(writer, "by_provider", _byProvider, latency: false);
            WriteGroups(writer, "by_model", _byModel, latency: false);
            writer.WriteEndObject();

            writer.WriteStartObject("latency_seconds");
            _total.WriteLatency(writer, "all");
            WriteGroups(writer, "by_provider", _byProvider, latency: true);
            WriteGroups(writer, "by_model", _byModel, latency: true);
            writer.WriteEndObject();

            writer.WriteStartObject("fallbacks");
            writer.WriteNumber("triggered", _fallbacksTriggered.Values.Sum());
            writer.WriteNumber("succeeded", _fallbacksSucceeded.Values.Sum());
            WriteCounts(writer, "triggered_by_route", _fallbacksTriggered);
            WriteCounts(writer, "succeeded_by_route", _fallbacksSucceeded);
            writer.WriteEndObject();

            writer.WriteStartObject("rate_limiting");
            writer.WriteNumber("hits", _rateLimitByEndpoint.Values.Sum());
            WriteCounts(writer, "hits_by_endpoint", _rateLimitByEndpoint);
            writer.WriteStartArray("top_limited_clients");
            foreach (var (client, hits) in _rateLimitByClient.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(TopClients))
            {
                writer.WriteStartObject();
                writer.WriteString("client_id", client);
                writer.WriteNumber("hits", hits);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteNumber("unique_sessions", Sessions.Estimate());
        writer.WriteStartObject("provider_health");
        foreach (var entry in HealthSource?.Invoke() ?? [])
        {
            writer.WriteStartObject(entry.Provider + "/" + entry.Destination);
            writer.WriteBoolean("healthy", entry.Healthy);
            writer.WriteString("passive", entry.Passive);
            writer.WriteString("active", entry.Active);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static Group Get(Dictionary<string, Group> groups, string key)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new Group();
            groups[key] = group;
        }

        return group;
    }

    private static void WriteGroups(Utf8JsonWriter writer, string name, Dictionary<string, Group> groups, bool latency)
    {
        writer.WriteStartObject(name);
        foreach (var (key, group) in groups.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (latency)
            {
                group.WriteLatency(writer, key);
            }
            else
            {
                writer.WriteStartObject(key);
                group.WriteCounts(writer);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter writer, string name, Dictionary<string, long> counts)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(key, value);
        }

        writer.WriteEndObject();
    }

    private sealed class Group
    {
        private readonly LatencySketch _latency = new();
        private long _total;
        private long _failed;

        public void Add(bool failed, double seconds)
        {
            _total++;
            if (failed)
            {
                _failed++;
            }

            _latency.Record(seconds);
        }

        public void WriteCounts(Utf8JsonWriter writer)
        {
            writer.WriteNumber("total", _total);
            writer.WriteNumber("success", _total - _failed);
            writer.WriteNumber("failed", _failed);
        }

        public void WriteLatency(Utf8JsonWriter writer, string name)
        {
            writer.WriteStartObject(name);
            writer.WriteNumber("count", _latency.Count);
            foreach (var q in Quantiles)
            {
                writer.WriteNumber("p" + ((int)(q * 100)).ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Round(_latency.Quantile(q), 4));
            }

            writer.WriteEndObject();
        }
    }
}
