using BenchmarkDotNet.Attributes;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Sanitization;
using Serilog.Events;
using Serilog.Parsing;

namespace Gateway.Bench;

/// <summary>Cost of one completion log line: JSON formatting with sanitization, as the file sink does it.</summary>
[MemoryDiagnoser]
public class LogFormatBenchmarks
{
    private readonly GatewayJsonFormatter _sanitized = new(new Sanitizer());
    private readonly GatewayJsonFormatter _plain = new();
    private readonly StringWriter _writer = new();
    private LogEvent _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        var props = new Dictionary<string, object?>
        {
            ["provider"] = "anthropic", ["model"] = "claude-sonnet-4-5-20250929", ["route"] = "anthropic", ["status"] = 200, ["latency_ms"] = 456.78,
            ["input_tokens"] = 150L, ["output_tokens"] = 800L, ["total_tokens"] = 950L, ["cache_read_tokens"] = 0L, ["cache_write_tokens"] = 0L,
            ["reasoning_tokens"] = 0L, ["cost_usd"] = 0.01245m, ["usage"] = "reported", ["client_id"] = null,
            ["RequestId"] = "0HNQBPVHJC0I3:00000001", ["RequestPath"] = "/anthropic/v1/messages", ["ConnectionId"] = "0HNQBPVHJC0I3",
            ["correlation_id"] = "5af7c23b-e3e4-475b-8950-9abf51d5f119", ["trace_id"] = "5efa6435e8e67cf85ca9a1ac03d916a9", ["span_id"] = "9ce2869db4058f4d",
        };
        var properties = props.Select(p => new LogEventProperty(p.Key, new ScalarValue(p.Value))).ToList();
        properties.Add(new LogEventProperty("EventId", new StructureValue([new LogEventProperty("Id", new ScalarValue(1000)), new LogEventProperty("Name", new ScalarValue("generation_success"))])));
        properties.Add(new LogEventProperty("SourceContext", new ScalarValue("Gateway.Proxy.Usage.UsageRecorder")));
        _event = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse("{provider:l} {model:l} {status}"), properties);
    }

    [Benchmark(Description = "completion line, sanitized")]
    public int Sanitized()
    {
        _writer.GetStringBuilder().Clear();
        _sanitized.Format(_event, _writer);
        return _writer.GetStringBuilder().Length;
    }

    [Benchmark(Description = "completion line, not sanitized")]
    public int Plain()
    {
        _writer.GetStringBuilder().Clear();
        _plain.Format(_event, _writer);
        return _writer.GetStringBuilder().Length;
    }
}
