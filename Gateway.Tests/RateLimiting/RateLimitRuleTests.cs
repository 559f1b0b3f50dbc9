using Gateway.Proxy.RateLimiting;

namespace Gateway.Tests.RateLimiting;

public sealed class RateLimitRuleTests
{
    [Theory]
    [InlineData("100/minute", 100, 60)]
    [InlineData("5/second", 5, 1)]
    [InlineData("1000000/second", 1000000, 1)]
    [InlineData("10/hour", 10, 3600)]
    [InlineData(" 7 / days ", 7, 86400)]
    public void TryParse_ValidLimits(string text, long count, int seconds)
    {
        Assert.True(RateLimitRule.TryParse(text, out var rule));
        Assert.Equal(count, rule!.Count);
        Assert.Equal(TimeSpan.FromSeconds(seconds), rule.Window);
    }

    [Theory]
    [InlineData("")]
    [InlineData("100")]
    [InlineData("0/minute")]
    [InlineData("-1/minute")]
    [InlineData("ten/minute")]
    [InlineData("10/fortnight")]
    [InlineData("10 per minute")]
    public void TryParse_Malformed_IsRejected(string text)
    {
        Assert.False(RateLimitRule.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Malformed_NamesTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => RateLimitRule.Parse("lots/minute", "RATE_LIMIT_DEFAULT"));

        Assert.Contains("RATE_LIMIT_DEFAULT 'lots/minute'", ex.Message, StringComparison.Ordinal);
    }
}
