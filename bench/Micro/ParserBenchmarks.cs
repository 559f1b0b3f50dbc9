using System.Text;
using BenchmarkDotNet.Attributes;
using Gateway.Transforms.Usage;

namespace Gateway.Bench;

/// <summary>Usage parser throughput (MB/s = bytes per op / time per op) and allocations per stream.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private const int Deltas = 1000;
    private byte[] _anthropic = [];
    private byte[] _openai = [];
    private byte[] _json = [];

    [GlobalSetup]
    public void Setup()
    {
        var anthropic = new StringBuilder("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5-20250929\",\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n");
        var openai = new StringBuilder();
        for (var i = 0; i < Deltas; i++)
        {
            anthropic.Append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"The quick brown fox jumps over the lazy dog \"}}\n\n");
            openai.Append("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"system_fingerprint\":\"fp_44709d6fcb\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The quick brown fox \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
        }

        anthropic.Append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":15}}\n\n");
        openai.Append("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":1000}}\n\ndata: [DONE]\n\n");
        _anthropic = Encoding.UTF8.GetBytes(anthropic.ToString());
        _openai = Encoding.UTF8.GetBytes(openai.ToString());
        _json = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"choices\":[{\"message\":{\"content\":\"" + new string('x', 256 * 1024) + "\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}");
    }

    [Benchmark(Description = "Anthropic SSE, 1000 deltas (~146 KB)")]
    public long AnthropicSse() => Parse(_anthropic, UsageShape.AnthropicMessages, BodyFraming.ServerSentEvents);

    [Benchmark(Description = "OpenAI SSE, 1000 chunks (~210 KB)")]
    public long OpenAISse() => Parse(_openai, UsageShape.OpenAIChat, BodyFraming.ServerSentEvents);

    [Benchmark(Description = "OpenAI JSON, 256 KB completion")]
    public long OpenAIJson() => Parse(_json, UsageShape.OpenAIChat, BodyFraming.Json);

    private static long Parse(byte[] body, UsageShape shape, BodyFraming framing)
    {
        using var parser = new UsageParser(shape, framing);

        // 4 KB reads, as the proxy's copy loop sees them.
        for (var offset = 0; offset < body.Length; offset += 4096)
        {
            parser.Feed(body.AsSpan(offset, Math.Min(4096, body.Length - offset)));
        }

        parser.Finish();
        return parser.GetUsage().OutputTokens;
    }
}
