using Gateway.Proxy.Mock;
using Gateway.Transforms.Correlation;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Providers;
using Gateway.Transforms.Requests;

namespace Gateway.Proxy.Generate;

/// <summary>
/// The unified endpoint's own outbound calls: the same credentials (or SigV4) as the passthrough routes, the
/// request ids, and an <see cref="HttpClient"/> whose time-out comes from Microsoft.Extensions.Http.Resilience
/// (no retries there: fallback across providers is the endpoint's job).
/// </summary>
internal sealed class GenerateSender : IDisposable
{
    public const string ClientName = "gateway-generate";

    private readonly IHttpClientFactory _factory;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _timeProvider;
    private readonly HttpClient _mock;

    public GenerateSender(IHttpClientFactory factory, MockProviderHandler mock, IConfiguration configuration, TimeProvider timeProvider)
    {
        _factory = factory;
        _configuration = configuration;
        _timeProvider = timeProvider;
        _mock = new HttpClient(mock, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<HttpResponseMessage> SendAsync(
        IReadOnlyDictionary<string, string>? metadata, ProviderApi api, string address, string pathAndQuery, byte[] body,
        GatewayRequestFeature feature, bool stream, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(address.EndsWith('/') ? address : address + "/"), pathAndQuery))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TryAddWithoutValidation(CorrelationHeaders.CorrelationId, feature.CorrelationId);
        if (feature.SessionId is not null)
        {
            request.Headers.TryAddWithoutValidation(CorrelationHeaders.SessionId, feature.SessionId);
        }

        if (api is ProviderApi.Anthropic or ProviderApi.Mock)
        {
            request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        }

        if (api == ProviderApi.Bedrock)
        {
            var aws = AwsCredentials.FromConfiguration(_configuration)
                ?? throw new InvalidOperationException("Bedrock needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
            SigV4RequestSigner.Sign(request, SigV4Signer.HashPayload(body), aws, metadata?.GetValueOrDefault("AwsRegion"), _timeProvider.GetUtcNow());
        }
        else
        {
            ProviderCredential.Resolve(api, metadata, _configuration)?.Apply(request);
        }

        var client = api == ProviderApi.Mock ? _mock : _factory.CreateClient(ClientName);
        return await client.SendAsync(request, stream ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public void Dispose() => _mock.Dispose();
}
