using System.Text;
using Gateway.Pricing.Usage;
using Gateway.Tests.Fixtures;
using Gateway.Transforms.Usage;

namespace Gateway.Tests.Transforms.Usage;

public sealed class UsageParserTests
{
    private static readonly Dictionary<string, Expectation> Expected = new()
    {
        ["anthropic-json"] = new(UsageShape.AnthropicMessages, BodyFraming.Json, null, "claude-sonnet-4-5-20250929", new TokenUsage { InputTokens = 150, CacheReadTokens = 0, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 800, ReasoningTokens = 0 }),
        ["anthropic-sse"] = new(UsageShape.AnthropicMessages, BodyFraming.ServerSentEvents, null, "claude-sonnet-4-5-20250929", new TokenUsage { InputTokens = 25, CacheReadTokens = 2000, CacheWrite5mTokens = 60, CacheWrite1hTokens = 40, OutputTokens = 15, ReasoningTokens = 0 }),
        ["openai-json"] = new(UsageShape.OpenAIChat, BodyFraming.Json, null, "gpt-4o-2024-08-06", new TokenUsage { InputTokens = 176, CacheReadTokens = 1024, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 300, ReasoningTokens = 100 }),
        ["openai-sse"] = new(UsageShape.OpenAIChat, BodyFraming.ServerSentEvents, null, "gpt-4o-mini-2024-07-18", new TokenUsage { InputTokens = 1000, CacheReadTokens = 1000, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 500, ReasoningTokens = 0 }),
        ["openai-responses-sse"] = new(UsageShape.OpenAIResponses, BodyFraming.ServerSentEvents, null, "o3-2025-04-16", new TokenUsage { InputTokens = 600, CacheReadTokens = 400, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 2000, ReasoningTokens = 1500 }),
        ["openai-embeddings"] = new(UsageShape.OpenAIEmbeddings, BodyFraming.Json, null, "text-embedding-3-small", new TokenUsage { InputTokens = 8, CacheReadTokens = 0, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 0, ReasoningTokens = 0 }),
        ["gemini-json"] = new(UsageShape.Gemini, BodyFraming.Json, null, "gemini-2.5-flash", new TokenUsage { InputTokens = 400, CacheReadTokens = 600, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 500, ReasoningTokens = 300 }),
        ["gemini-sse"] = new(UsageShape.Gemini, BodyFraming.ServerSentEvents, null, "gemini-2.5-pro", new TokenUsage { InputTokens = 250000, CacheReadTokens = 0, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 2000, ReasoningTokens = 1000 }),
        ["gemini-array"] = new(UsageShape.Gemini, BodyFraming.Json, null, "gemini-2.5-flash", new TokenUsage { InputTokens = 10, CacheReadTokens = 0, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 20, ReasoningTokens = 0 }),
        ["bedrock-converse"] = new(UsageShape.BedrockConverse, BodyFraming.Json, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", new TokenUsage { InputTokens = 300, CacheReadTokens = 400, CacheWrite5mTokens = 100, CacheWrite1hTokens = 0, OutputTokens = 100, ReasoningTokens = 0 }),
        ["bedrock-invoke-stream"] = new(UsageShape.AnthropicMessages, BodyFraming.AwsEventStream, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5-20250929", new TokenUsage { InputTokens = 20, CacheReadTokens = 100, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 30, ReasoningTokens = 0 }),
        ["bedrock-converse-stream"] = new(UsageShape.BedrockConverse, BodyFraming.AwsEventStream, "anthropic.claude-3-haiku-20240307-v1:0", "anthropic.claude-3-haiku-20240307-v1:0", new TokenUsage { InputTokens = 300, CacheReadTokens = 0, CacheWrite5mTokens = 0, CacheWrite1hTokens = 0, OutputTokens = 100, ReasoningTokens = 0 }),
    };

    public static TheoryData<string> Cases => new(Expected.Keys);

    public static IReadOnlyCollection<string> CaseNames => Expected.Keys;

    public static byte[] Body(string name) => name switch
    {
        "anthropic-json" => Encoding.UTF8.GetBytes(ProviderBodies.AnthropicJson),
        "anthropic-sse" => Encoding.UTF8.GetBytes(ProviderBodies.AnthropicSse),
        "openai-json" => Encoding.UTF8.GetBytes(ProviderBodies.OpenAIJson),
        "openai-sse" => Encoding.UTF8.GetBytes(ProviderBodies.OpenAISse),
        "openai-responses-sse" => Encoding.UTF8.GetBytes(ProviderBodies.OpenAIResponsesSse),
        "openai-embeddings" => Encoding.UTF8.GetBytes(ProviderBodies.OpenAIEmbeddingsJson),
        "gemini-json" => Encoding.UTF8.GetBytes(ProviderBodies.GeminiJson),
        "gemini-sse" => Encoding.UTF8.GetBytes(ProviderBodies.GeminiSse),
        "gemini-array" => Encoding.UTF8.GetBytes(ProviderBodies.GeminiJsonArray),
        "bedrock-converse" => Encoding.UTF8.GetBytes(ProviderBodies.BedrockConverseJson),
        "bedrock-invoke-stream" => EventStreamEncoder.ClaudeStream(),
        "bedrock-converse-stream" => EventStreamEncoder.ConverseStream(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_WholeBody_YieldsProviderUsage(string name)
    {
        var (shape, framing, requested, model, expected) = Expected[name];

        var (usage, parsedModel, fault) = Parse(Body(name), shape, framing, requested, [int.MaxValue]);

        Assert.Null(fault);
        Assert.Equal(expected, usage);
        Assert.Equal(model, parsedModel);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_SplitAtEveryByteBoundary_AndInOneByteReads_YieldsSameUsage(string name)
    {
        var body = Body(name);
        var (shape, framing, requested, model, expected) = Expected[name];

        for (var split = 1; split < body.Length; split++)
        {
            var (usage, parsedModel, fault) = Parse(body, shape, framing, requested, [split, int.MaxValue]);
            Assert.True(fault is null, $"{name} split at {split}: {fault}");
            Assert.True(expected == usage, $"{name} split at {split}: {usage}");
            Assert.Equal(model, parsedModel);
        }

        var (oneByte, oneByteModel, oneByteFault) = Parse(body, shape, framing, requested, [1]);
        Assert.Null(oneByteFault);
        Assert.Equal(expected, oneByte);
        Assert.Equal(model, oneByteModel);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_RandomMutationsAndTruncations_NeverThrow(string name)
    {
        var (shape, framing, requested, _, _) = Expected[name];
        var body = Body(name);
        var random = new Random(name.Length * 7919);
        for (var round = 0; round < 300; round++)
        {
            var mutated = body[..random.Next(body.Length + 1)];
            for (var flips = random.Next(4); flips > 0 && mutated.Length > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            using var parser = new UsageParser(shape, framing, requested);
            FeedInChunks(parser, mutated, random.Next(1, 64));
            parser.Finish();
            _ = parser.GetUsage();
        }

        var noise = new byte[4096];
        random.NextBytes(noise);
        using var onNoise = new UsageParser(shape, framing, requested);
        onNoise.Feed(noise);
        onNoise.Finish();
        _ = onNoise.GetUsage();
    }

    [Fact]
    public void Parse_TruncatedAnthropicStream_KeepsWhatWasSeen()
    {
        var body = Encoding.UTF8.GetBytes(ProviderBodies.AnthropicSse);
        var cut = ProviderBodies.AnthropicSse.IndexOf("event: message_delta", StringComparison.Ordinal);

        var (usage, _, fault) = Parse(body[..cut], UsageShape.AnthropicMessages, BodyFraming.ServerSentEvents, null, [int.MaxValue]);

        Assert.Null(fault);
        Assert.Equal(25, usage.InputTokens);
        Assert.Equal(1, usage.OutputTokens);
    }

    [Fact]
    public void Parse_EventStreamWithBadCrc_FaultsWithoutThrowing()
    {
        var body = EventStreamEncoder.ClaudeStream();
        body[body.Length - 1] ^= 0xFF;

        var (_, _, fault) = Parse(body, UsageShape.AnthropicMessages, BodyFraming.AwsEventStream, null, [int.MaxValue]);

        Assert.IsType<InvalidDataException>(fault);
    }

    [Fact]
    public void Parse_JsonBody_UsageKeyInsideStringIsNotMistakenForUsage()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"choices\":[{\"message\":{\"content\":\"{\\\"usage\\\":{\\\"prompt_tokens\\\":999}}\"}}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}");

        var (usage, model, fault) = Parse(body, UsageShape.OpenAIChat, BodyFraming.Json, null, [7, int.MaxValue]);

        Assert.Null(fault);
        Assert.Equal("gpt-4o", model);
        Assert.Equal(3, usage.InputTokens);
        Assert.Equal(4, usage.OutputTokens);
    }

    [Fact]
    public void Parse_HugeJsonBody_DoesNotBufferIt()
    {
        using var parser = new UsageParser(UsageShape.OpenAIEmbeddings, BodyFraming.Json);
        parser.Feed("{\"object\":\"list\",\"data\":[{\"embedding\":["u8);
        var numbers = Encoding.UTF8.GetBytes(string.Join(',', Enumerable.Repeat("0.0123456789", 10_000)) + ",");
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            parser.Feed(numbers);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        parser.Feed("0]}],\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":12,\"total_tokens\":12}}"u8);

        Assert.True(allocated < 64 * 1024, $"allocated {allocated} bytes while scanning ~12 MB");
        Assert.Equal(12, parser.GetUsage().InputTokens);
        Assert.Equal("text-embedding-3-large", parser.Model);
    }

    [Fact]
    public void Parse_SseContentDeltas_AllocateNothing()
    {
        using var parser = new UsageParser(UsageShape.AnthropicMessages, BodyFraming.ServerSentEvents);
        parser.Feed(Encoding.UTF8.GetBytes(ProviderBodies.AnthropicSse[..ProviderBodies.AnthropicSse.IndexOf("event: content_block_delta", StringComparison.Ordinal)]));
        var delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello world, streaming.\"}}\n\n"u8.ToArray();
        parser.Feed(delta);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            parser.Feed(delta);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    internal static (TokenUsage Usage, string? Model, Exception? Fault) Parse(byte[] body, UsageShape shape, BodyFraming framing, string? requested, int[] chunkSizes)
    {
        using var parser = new UsageParser(shape, framing, requested);
        var offset = 0;
        var index = 0;
        while (offset < body.Length)
        {
            var size = Math.Min(chunkSizes[Math.Min(index, chunkSizes.Length - 1)], body.Length - offset);
            parser.Feed(body.AsSpan(offset, size));
            offset += size;
            index++;
        }

        parser.Finish();
        return (parser.GetUsage(), parser.Model, parser.Fault);
    }

    private static void FeedInChunks(UsageParser parser, byte[] body, int size)
    {
        for (var offset = 0; offset < body.Length; offset += size)
        {
            parser.Feed(body.AsSpan(offset, Math.Min(size, body.Length - offset)));
        }
    }

    public sealed record Expectation(UsageShape Shape, BodyFraming Framing, string? Requested, string? Model, TokenUsage Usage);
}
