using Microsoft.Extensions.Configuration;

namespace Gateway.Transforms.Credentials;

/// <summary>AWS credentials from <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>, <c>AWS_REGION</c>.</summary>
public sealed class AwsCredentials
{
    public const string DefaultRegion = "us-east-1";

    private AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken, string region)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Region = region;
    }

    public string AccessKeyId { get; }

    public string SecretAccessKey { get; }

    public string? SessionToken { get; }

    public string Region { get; }

    /// <summary>The credentials in configuration, or null when the gateway holds none.</summary>
    public static AwsCredentials? FromConfiguration(IConfiguration configuration)
    {
        var id = configuration["AWS_ACCESS_KEY_ID"];
        var secret = configuration["AWS_SECRET_ACCESS_KEY"];
        if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret))
        {
            return null;
        }

        var token = configuration["AWS_SESSION_TOKEN"];
        var region = configuration["AWS_REGION"] ?? configuration["AWS_DEFAULT_REGION"];
        return new AwsCredentials(id, secret, string.IsNullOrWhiteSpace(token) ? null : token, string.IsNullOrWhiteSpace(region) ? DefaultRegion : region);
    }

    public static AwsCredentials Create(string accessKeyId, string secretAccessKey, string? sessionToken = null, string region = DefaultRegion) =>
        new(accessKeyId, secretAccessKey, sessionToken, region);

    public override string ToString() => $"AwsCredentials({AccessKeyId[..Math.Min(4, AccessKeyId.Length)]}***, {Region})";
}
