using Gateway.Proxy.Sanitization;
using Xunit.Abstractions;

namespace Gateway.Tests.Sanitization;

public sealed class SanitizerTests(ITestOutputHelper output)
{
    [Fact]
    public void Corpus_FullRecall_NoFalsePositives()
    {
        var sanitizer = new Sanitizer();
        var positives = SanitizerCorpus.Positives();
        var negatives = SanitizerCorpus.Negatives();

        var missed = positives.Where(p => sanitizer.Sanitize(p.Text).Contains(p.Secret, StringComparison.Ordinal)).ToList();
        var falsePositives = negatives.Where(n => sanitizer.Sanitize(n) != n).ToList();
        var truePositives = positives.Count - missed.Count;
        var recall = (double)truePositives / positives.Count;
        var precision = truePositives / (double)(truePositives + falsePositives.Count);
        output.WriteLine($"positives {positives.Count}, negatives {negatives.Count}, recall {recall:P2}, precision {precision:P2}");
        foreach (var m in missed)
        {
            output.WriteLine($"missed: {m.Text} -> {sanitizer.Sanitize(m.Text)}");
        }

        foreach (var f in falsePositives)
        {
            output.WriteLine($"false positive: {f} -> {sanitizer.Sanitize(f)}");
        }

        Assert.True(positives.Count >= 200);
        Assert.True(negatives.Count >= 200);
        Assert.Empty(missed);
        Assert.Empty(falsePositives);
    }

    [Theory]
    [InlineData("User john.doe@example.com requested with key sk-ant-api03-xyz123abcdefghijklmnopqrstu123", "User [REDACTED_EMAIL] requested with key sk-an...123")]
    [InlineData("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345", "Authorization: Bearer abcde...345")]
    [InlineData("card 4111 1111 1111 1111 ok", "card [REDACTED_CREDIT_CARD] ok")]
    [InlineData("ssn 123-45-6789", "ssn [REDACTED_SSN]")]
    [InlineData("call +1 555 123 4567", "call [REDACTED_PHONE]")]
    public void Sanitize_GuideForms(string input, string expected)
    {
        Assert.Equal(expected, new Sanitizer().Sanitize(input));
    }

    [Fact]
    public void Configuration_PartialOffCustomTextAndPatterns()
    {
        var sanitizer = new Sanitizer();
        sanitizer.AddPattern("custom_id", @"CUST-\d{6}");
        Assert.Equal("customer [REDACTED_CUSTOM_ID]", sanitizer.Sanitize("customer CUST-123456"));

        sanitizer.EnablePartialRedaction(false);
        Assert.Equal("key [REDACTED_API_KEY]", sanitizer.Sanitize("key sk-proj-abcdefghijklmnopqrstuvwxyz0123"));

        sanitizer.SetRedactionText("[PRIVATE]");
        Assert.Equal("mail [PRIVATE] and [PRIVATE]", sanitizer.Sanitize("mail a@b.io and CUST-654321"));
    }

    [Fact]
    public void IpAddresses_OnlyWhenEnabled()
    {
        Assert.Equal("from 10.1.2.3", new Sanitizer().Sanitize("from 10.1.2.3"));
        var withIps = new Sanitizer(new SanitizerOptions { RedactIpAddresses = true });
        Assert.Equal("from [REDACTED_IP] and [REDACTED_IP]", withIps.Sanitize("from 10.1.2.3 and 2001:db8:85a3::8a2e:370:7334"));
    }

    [Theory]
    [InlineData("api_key", true)]
    [InlineData("x-api-key", true)]
    [InlineData("Authorization", true)]
    [InlineData("client_secret", true)]
    [InlineData("refresh_token", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", true)]
    [InlineData("private_key", true)]
    [InlineData("Password", true)]
    [InlineData("input_tokens", false)]
    [InlineData("max_tokens", false)]
    [InlineData("cached_tokens_details", false)]
    [InlineData("promptTokenCount", false)]
    [InlineData("model", false)]
    public void IsSensitiveKey_CaseInsensitiveSubstrings_TokenCountsExcluded(string key, bool sensitive)
    {
        Assert.Equal(sensitive, Sanitizer.IsSensitiveKey(key));
    }

    [Fact]
    public void SanitizeJson_SensitiveKeysAtAnyDepth_AndStringValues()
    {
        var json = """{"model":"gpt-4o","usage":{"input_tokens":150},"auth":{"api_key":"abc","nested":[{"password":"hunter2"}]},"messages":[{"content":"mail me at a@b.com"}],"token":"t-1"}""";

        var sanitized = new Sanitizer().SanitizeJson(json);

        Assert.Equal("""{"model":"gpt-4o","usage":{"input_tokens":150},"auth":{"api_key":"[REDACTED_SECRET]","nested":[{"password":"[REDACTED_SECRET]"}]},"messages":[{"content":"mail me at [REDACTED_EMAIL]"}],"token":"[REDACTED_SECRET]"}""", sanitized);
    }

    [Fact]
    public void Sanitize_CleanText_ReturnsSameInstanceWithoutAllocating()
    {
        var sanitizer = new Sanitizer();
        const string Clean = "generation_success anthropic claude-sonnet-4-5 status ok";
        Assert.Same(Clean, sanitizer.Sanitize(Clean));
        const string WithNumbers = "input_tokens=150 output_tokens=800 latency_ms=456.78 at 2026-01-19T14:32:45.123Z";
        sanitizer.Sanitize(WithNumbers);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sanitizer.Sanitize(Clean);
            sanitizer.Sanitize(WithNumbers);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
