using Gateway.Transforms.Credentials;

namespace Gateway.Tests.Transforms.Credentials;

/// <summary>AWS's published SigV4 test suite (us-east-1, service "service", 2015-08-30T12:36:00Z).</summary>
public sealed class SigV4SignerTests
{
    private static readonly AwsCredentials Example = AwsCredentials.Create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    [Theory]
    [InlineData("get-vanilla", "GET", "/", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")]
    [InlineData("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")]
    [InlineData("post-vanilla", "POST", "/", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")]
    [InlineData("get-utf8", "GET", "/\u1234", "", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")]
    public void Sign_AwsTestSuiteVectors(string vector, string method, string path, string query, string signature)
    {
        var (authorization, signed) = SigV4Signer.Sign(method, path, query,
            [new("Host", "example.amazonaws.com"), new("X-Amz-Date", "20150830T123600Z")],
            SigV4Signer.EmptyPayloadHash, Example, "service", "20150830T123600Z");

        Assert.Equal("host;x-amz-date", signed);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}",
            authorization);
        Assert.False(string.IsNullOrEmpty(vector));
    }

    [Fact]
    public void SigningKey_MatchesPublishedDerivation()
    {
        Assert.Equal("938127b5336810ddb6a5d6af445fcac9e371f9ed418ed386b022aed82901be75",
            Convert.ToHexStringLower(SigV4Signer.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "service")));
    }

    [Fact]
    public void CanonicalUri_BedrockModelIdColon_IsEncodedAgain()
    {
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%253A0/invoke",
            SigV4Signer.CanonicalUri("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"));
    }

    [Fact]
    public void HashPayload_Empty_IsTheWellKnownHash()
    {
        Assert.Equal(SigV4Signer.EmptyPayloadHash, SigV4Signer.HashPayload([]));
    }
}
