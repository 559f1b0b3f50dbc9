namespace Gateway.Transforms.Credentials;

/// <summary>Signs an outgoing <see cref="HttpRequestMessage"/> for Bedrock runtime (service <c>bedrock</c>).</summary>
public static class SigV4RequestSigner
{
    private static readonly string[] AuthHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"];

    /// <param name="request">The request; its <see cref="HttpRequestMessage.RequestUri"/> must be final.</param>
    /// <param name="payloadHash">Lowercase hex SHA-256 of the body.</param>
    /// <param name="credentials">Credentials; <paramref name="region"/> overrides their region when given.</param>
    /// <param name="region">Signing region, or null for the credentials' own.</param>
    /// <param name="now">Signing time.</param>
    public static void Sign(HttpRequestMessage request, string payloadHash, AwsCredentials credentials, string? region, DateTimeOffset now)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("RequestUri must be set before signing.");
        foreach (var name in AuthHeaders)
        {
            request.Headers.Remove(name);
        }

        if (region is not null && region != credentials.Region)
        {
            credentials = AwsCredentials.Create(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, region);
        }

        var amzDate = SigV4Signer.AmzDate(now);
        var signed = new List<KeyValuePair<string, string>>
        {
            new("host", uri.IsDefaultPort ? uri.Host : uri.Authority),
            new("x-amz-date", amzDate),
            new("x-amz-content-sha256", payloadHash),
        };
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            signed.Add(new("content-type", contentType.ToString()));
        }

        if (credentials.SessionToken is not null)
        {
            signed.Add(new("x-amz-security-token", credentials.SessionToken));
        }

        var (authorization, _) = SigV4Signer.Sign(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), signed, payloadHash, credentials, "bedrock", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", payloadHash);
        if (credentials.SessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        request.Headers.TryAddWithoutValidation("Authorization", authorization);
    }
}
