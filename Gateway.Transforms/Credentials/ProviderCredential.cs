using Gateway.Transforms.Providers;
using Microsoft.Extensions.Configuration;
using Yarp.ReverseProxy.Transforms;

namespace Gateway.Transforms.Credentials;

/// <summary>
/// A provider key held by the gateway and how it is presented. When the gateway holds a key it removes every
/// header (and query parameter) in which a client could have sent one for that provider, then injects its own;
/// when it holds none, the client's credential passes through unchanged.
/// </summary>
public sealed class ProviderCredential
{
    /// <summary>Cluster metadata naming the configuration key (usually an env var) that holds the provider key.</summary>
    public const string MetadataKey = "CredentialEnv";

    private readonly string _value;
    private readonly string[] _headersToRemove;
    private readonly string _header;
    private readonly bool _removeKeyQuery;

    private ProviderCredential(string value, string header, string[] headersToRemove, bool removeKeyQuery)
    {
        _value = value;
        _header = header;
        _headersToRemove = headersToRemove;
        _removeKeyQuery = removeKeyQuery;
    }

    /// <summary>The configuration key each provider reads its key from unless metadata says otherwise.</summary>
    public static string? DefaultSource(ProviderApi api) => api switch
    {
        ProviderApi.Anthropic => "ANTHROPIC_API_KEY",
        ProviderApi.OpenAI => "OPENAI_API_KEY",
        ProviderApi.Gemini => "GEMINI_API_KEY",
        _ => null,
    };

    /// <summary>The credential for a cluster, or null when the gateway holds none (client keys pass through).</summary>
    public static ProviderCredential? Resolve(ProviderApi api, IReadOnlyDictionary<string, string>? metadata, IConfiguration configuration)
    {
        var source = metadata is not null && metadata.TryGetValue(MetadataKey, out var configured) ? configured : DefaultSource(api);
        if (string.IsNullOrWhiteSpace(source))
        {
            return null;
        }

        var value = configuration[source];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return api switch
        {
            // Recent Anthropic SDKs may send Authorization: Bearer as well as x-api-key.
            ProviderApi.Anthropic => new ProviderCredential(value, "x-api-key", ["x-api-key", "Authorization"], false),
            ProviderApi.OpenAI => new ProviderCredential("Bearer " + value, "Authorization", ["Authorization", "api-key"], false),
            ProviderApi.Gemini => new ProviderCredential(value, "x-goog-api-key", ["x-goog-api-key", "Authorization"], true),
            _ => null,
        };
    }

    public void Apply(RequestTransformContext context)
    {
        if (_removeKeyQuery)
        {
            context.Query.Collection.Remove("key");
        }

        Apply(context.ProxyRequest);
    }

    /// <summary>Replaces any client credential header on <paramref name="request"/> with the held key.</summary>
    public void Apply(HttpRequestMessage request)
    {
        var headers = request.Headers;
        foreach (var name in _headersToRemove)
        {
            headers.Remove(name);
        }

        headers.TryAddWithoutValidation(_header, _value);
    }

    /// <summary>Never the key itself: this type may end up in a debugger or a log by accident.</summary>
    public override string ToString() => $"ProviderCredential({_header}, ***)";
}
