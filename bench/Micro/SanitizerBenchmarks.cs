using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Proxy.Sanitization;

namespace Gateway.Bench;

/// <summary>Sanitizer throughput on typical log lines and on 64 KB bodies.</summary>
[MemoryDiagnoser]
public class SanitizerBenchmarks
{
    private readonly Sanitizer _sanitizer = new();
    private string _logLine = string.Empty;
    private string _logLineWithSecret = string.Empty;
    private string _body = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _logLine = "anthropic claude-sonnet-4-5-20250929 200 in 456.78 ms: 150 in, 800 out, cost 0.01245";
        _logLineWithSecret = "User john.doe@example.com requested with key sk-ant-api03-xyz123abcdefghijklmnopqrstu123";
        var body = new StringBuilder("{\"model\":\"gpt-4o\",\"messages\":[");
        while (body.Length < 64 * 1024)
        {
            body.Append("{\"role\":\"user\",\"content\":\"Summarise the quarterly report for region 7: revenue 1,234,567 in Q3 2026, up 12.5% on 2025-09-30; contact ops@example.com.\"},");
        }

        body.Append("{\"role\":\"user\",\"content\":\"thanks\"}]}");
        _body = body.ToString();
    }

    [Benchmark(Description = "clean log line (86 B)")]
    public string CleanLine() => _sanitizer.Sanitize(_logLine);

    [Benchmark(Description = "log line with e-mail and key (90 B)")]
    public string LineWithSecret() => _sanitizer.Sanitize(_logLineWithSecret);

    [Benchmark(Description = "64 KB JSON body, text patterns")]
    public string Body64K() => _sanitizer.Sanitize(_body);

    [Benchmark(Description = "64 KB JSON body, key-aware")]
    public string Body64KJson() => _sanitizer.SanitizeJson(_body);
}
