using System.Text;
using Gateway.Tests.Fixtures;
using Gateway.Transforms.Usage;

namespace Gateway.Tests.Transforms.Usage;

public sealed class UsageTapStreamTests
{
    [Fact]
    public async Task Read_PassesEveryByteUnchanged_AndFeedsParser()
    {
        var body = Encoding.UTF8.GetBytes(ProviderBodies.AnthropicSse);
        using var parser = new UsageParser(UsageShape.AnthropicMessages, BodyFraming.ServerSentEvents);
        await using var tap = new UsageTapStream(new TrickleStream(body, 7), parser, TimeProvider.System);

        var copy = new MemoryStream();
        await tap.CopyToAsync(copy, 5);

        Assert.Equal(body, copy.ToArray());
        Assert.True(tap.Completed);
        Assert.Equal(body.Length, tap.BytesRead);
        Assert.Equal(15, parser.GetUsage().OutputTokens);
    }

    [Fact]
    public async Task Read_GarbageBody_ClientStillGetsBytesUnchanged()
    {
        var body = new byte[10_000];
        new Random(42).NextBytes(body);
        foreach (var framing in Enum.GetValues<BodyFraming>())
        {
            using var parser = new UsageParser(UsageShape.AnthropicMessages, framing);
            await using var tap = new UsageTapStream(new TrickleStream(body, 333), parser, TimeProvider.System);
            var copy = new MemoryStream();
            await tap.CopyToAsync(copy);
            Assert.Equal(body, copy.ToArray());
        }
    }

    [Fact]
    public async Task Read_InjectedUsageChunk_IsRemovedFromClientStream_ButStillCounted()
    {
        var body = Encoding.UTF8.GetBytes(ProviderBodies.OpenAISse);
        using var parser = new UsageParser(UsageShape.OpenAIChat, BodyFraming.ServerSentEvents);
        await using var tap = new UsageTapStream(new TrickleStream(body, 11), parser, TimeProvider.System, stripInjectedUsageChunk: true);

        var copy = new MemoryStream();
        await tap.CopyToAsync(copy, 16);
        var text = Encoding.UTF8.GetString(copy.ToArray());

        Assert.DoesNotContain("\"prompt_tokens\"", text, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", text, StringComparison.Ordinal);
        Assert.Equal(4, text.Split("data: ").Length - 1);
        Assert.Equal(500, parser.GetUsage().OutputTokens);
    }

    [Fact]
    public void Rewrite_StreamingRequestWithoutIncludeUsage_AddsIt()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}");

        var rewritten = OpenAIStreamUsageRequest.Rewrite(body);

        Assert.NotNull(rewritten);
        var json = System.Text.Json.JsonDocument.Parse(rewritten).RootElement;
        Assert.True(json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("héllo", json.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("{\"model\":\"gpt-4o\",\"stream\":false}")]
    [InlineData("{\"model\":\"gpt-4o\"}")]
    [InlineData("{\"stream\":true,\"stream_options\":{\"include_usage\":true}}")]
    [InlineData("{\"stream\":true,")]
    public void Rewrite_RequestNeedingNoChange_ReturnsNull(string body)
    {
        Assert.Null(OpenAIStreamUsageRequest.Rewrite(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Rewrite_ExistingStreamOptions_Merged()
    {
        var rewritten = OpenAIStreamUsageRequest.Rewrite(Encoding.UTF8.GetBytes("{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}"));

        var options = System.Text.Json.JsonDocument.Parse(rewritten!).RootElement.GetProperty("stream_options");
        Assert.True(options.GetProperty("include_usage").GetBoolean());
        Assert.False(options.GetProperty("include_obfuscation").GetBoolean());
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, as a network stream would.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
