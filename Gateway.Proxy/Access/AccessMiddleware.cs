using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Proxy.Errors;
using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Providers;
using Gateway.Transforms.Requests;
using Microsoft.AspNetCore.Http.Extensions;
using Yarp.ReverseProxy.Model;

namespace Gateway.Proxy.Access;

/// <summary>
/// Who may spend the provider keys. With gateway keys configured, every request (health and metrics aside)
/// must present one where its SDK already sends a key (<c>Authorization: Bearer</c>, <c>x-api-key</c>,
/// <c>x-goog-api-key</c>, Gemini's <c>key</c> parameter); it is checked in constant time and removed before
/// forwarding, and its name becomes the client identity. Without gateway keys, a gateway that holds provider
/// credentials serves only the local host unless told otherwise. <c>/metrics</c> can require its own token.
/// </summary>
internal sealed class AccessMiddleware
{
    private static readonly IPAddress[] LocalAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];
    private static readonly string[] KeyHeaders = ["x-api-key", "x-goog-api-key"];

    private readonly RequestDelegate _next;
    private readonly GatewayKeyStore _keys;
    private readonly AccessOptions _options;
    private readonly bool _holdsProviderCredentials;
    private readonly byte[]? _metricsTokenHash;

    public AccessMiddleware(RequestDelegate next, GatewayKeyStore keys, AccessOptions options, IConfiguration configuration)
    {
        _next = next;
        _keys = keys;
        _options = options;
        _holdsProviderCredentials = HoldsProviderCredentials(configuration);
        _metricsTokenHash = string.IsNullOrEmpty(options.MetricsToken) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.MetricsToken));
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<MetricsEndpointMetadata>() is not null)
        {
            return _metricsTokenHash is null || Matches(BearerToken(context.Request), _metricsTokenHash)
                ? _next(context)
                : Unauthorized(context, "A valid metrics token is required (Authorization: Bearer <token>)");
        }

        if (endpoint is null || endpoint.Metadata.GetMetadata<GatewayRateLimitExemptMetadata>() is not null)
        {
            return _next(context);
        }

        if (!_keys.Enabled)
        {
            if (_holdsProviderCredentials && !_options.AllowUnauthenticatedRemote && !IsLocal(context.Connection.RemoteIpAddress))
            {
                return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden,
                    "This gateway holds provider keys and has no gateway keys: it serves only the local host. Set GATEWAY_API_KEYS, or GATEWAY_ALLOW_REMOTE=true.");
            }

            return _next(context);
        }

        var presented = PresentedKey(context.Request);
        var key = presented is null ? null : _keys.Find(presented);
        if (key is null)
        {
            return Unauthorized(context, presented is null ? "A gateway key is required" : "The gateway key is not valid");
        }

        var route = endpoint.Metadata.GetMetadata<RouteModel>();
        if (key.AllowedRoutes.Count > 0 && !Allowed(key, route, context.Request.Path))
        {
            return ErrorResponses.WriteAsync(context, StatusCodes.Status403Forbidden, $"Gateway key '{key.Name}' may not use {context.Request.Path}");
        }

        RemoveKey(context.Request);
        context.Features.Set(key);
        if (GatewayRequestFeature.Get(context) is { } feature)
        {
            feature.ClientName = key.Name;
        }

        System.Diagnostics.Activity.Current?.SetTag("gateway.key.name", key.Name);
        return _next(context);
    }

    /// <summary>Only the exact loopback addresses: another 127.x address is treated as remote, to err on the safe side.</summary>
    internal static bool IsLocal(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return LocalAddresses.Any(address.Equals);
    }

    /// <summary>True when any provider key (or AWS credentials) is configured: the gateway can spend someone's money.</summary>
    internal static bool HoldsProviderCredentials(IConfiguration configuration)
    {
        if (AwsCredentials.FromConfiguration(configuration) is not null)
        {
            return true;
        }

        var sources = configuration.GetSection("ReverseProxy:Clusters").GetChildren()
            .Select(c => c["Metadata:" + ProviderCredential.MetadataKey] ?? (ProviderApis.TryParse(c["Metadata:" + ProviderApis.MetadataKey], out var api) ? ProviderCredential.DefaultSource(api) : null))
            .Append("ANTHROPIC_API_KEY").Append("OPENAI_API_KEY").Append("GEMINI_API_KEY");
        return sources.Any(s => !string.IsNullOrWhiteSpace(s) && !string.IsNullOrWhiteSpace(configuration[s]));
    }

    private static bool Allowed(GatewayKey key, RouteModel? route, PathString path)
    {
        foreach (var allowed in key.AllowedRoutes)
        {
            if (route is not null && (string.Equals(allowed, route.Config.RouteId, StringComparison.OrdinalIgnoreCase) || string.Equals(allowed, route.Config.ClusterId, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            if (route is null && (string.Equals(allowed, path.Value, StringComparison.OrdinalIgnoreCase) || (allowed == "generate" && path == "/v1/generate")))
            {
                return true;
            }
        }

        return false;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (BearerToken(request) is { } bearer)
        {
            return bearer;
        }

        foreach (var name in KeyHeaders)
        {
            var value = request.Headers[name].ToString();
            if (value.Length > 0)
            {
                return value;
            }
        }

        var query = request.Query["key"].ToString();
        return query.Length > 0 ? query : null;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7 ? authorization[7..].Trim() : null;
    }

    private static bool Matches(string? presented, byte[] expectedHash) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expectedHash);

    private static void RemoveKey(HttpRequest request)
    {
        request.Headers.Remove("Authorization");
        foreach (var name in KeyHeaders)
        {
            request.Headers.Remove(name);
        }

        if (request.Query.ContainsKey("key"))
        {
            var builder = new QueryBuilder(request.Query.Where(q => q.Key != "key").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))));
            request.QueryString = builder.ToQueryString();
        }
    }

    private static Task Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized, detail);
    }
}

/// <summary>Endpoint metadata: a metrics endpoint, guarded by the metrics token when one is set.</summary>
public sealed class MetricsEndpointMetadata
{
    public static readonly MetricsEndpointMetadata Instance = new();
}
