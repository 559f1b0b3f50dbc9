using Gateway.Proxy.Logging;
using Gateway.Proxy.RateLimiting;
using Gateway.Transforms.Credentials;
using Gateway.Transforms.Providers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy;

namespace Gateway.Proxy.Hosting;

/// <summary>Logs <c>gateway_started</c> with the configuration in effect; credentials appear only as set/unset.</summary>
internal sealed class GatewayStartupLogger : IHostedService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IServer _server;
    private readonly IProxyStateLookup _state;
    private readonly IConfiguration _configuration;
    private readonly ILogger<GatewayStartupLogger> _logger;
    private readonly RateLimitOptions _rateLimits;
    private readonly Access.GatewayKeyStore _keys;
    private readonly Access.AccessOptions _access;

    public GatewayStartupLogger(
        IHostApplicationLifetime lifetime, IServer server, IProxyStateLookup state, IConfiguration configuration, RateLimitOptions rateLimits,
        Access.GatewayKeyStore keys, Access.AccessOptions access, ILogger<GatewayStartupLogger> logger)
    {
        _keys = keys;
        _access = access;
        _rateLimits = rateLimits;
        _lifetime = lifetime;
        _server = server;
        _state = state;
        _configuration = configuration;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStarted.Register(LogStarted);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void LogStarted()
    {
        var urls = string.Join(", ", _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var routes = string.Join(", ", _state.GetRoutes().Select(r => $"{r.Config.Match.Path}->{r.Config.ClusterId}").Order(StringComparer.Ordinal));
        var credentials = string.Join(", ", _state.GetClusters().Select(c =>
        {
            var metadata = c.Model.Config.Metadata;
            if (metadata is null || !metadata.TryGetValue(ProviderApis.MetadataKey, out var api) || !ProviderApis.TryParse(api, out var parsed))
            {
                return $"{c.ClusterId}=none";
            }

            var source = metadata.TryGetValue(ProviderCredential.MetadataKey, out var s) ? s : ProviderCredential.DefaultSource(parsed);
            return string.IsNullOrEmpty(source) ? $"{c.ClusterId}=client" : $"{c.ClusterId}={source}({(string.IsNullOrEmpty(_configuration[source]) ? "unset: client key passes through" : "set")})";
        }).Order(StringComparer.Ordinal));
        var limits = _rateLimits.Enabled
            ? $"{_rateLimits.Default} per client and endpoint" + (_rateLimits.TokensPerMinute is { } t ? $", {t} tokens/minute" : string.Empty)
              + (string.IsNullOrWhiteSpace(_rateLimits.Redis) ? ", in memory" : ", shared through Redis") + (_rateLimits.FailClosed ? ", fail closed" : ", fail open")
            : "off";
        Log.GatewayStarted(_logger, urls, routes, credentials, limits);
        if (_keys.Enabled)
        {
            Log.AccessKeys(_logger, _keys.Count);
        }
        else if (Access.AccessMiddleware.HoldsProviderCredentials(_configuration))
        {
            if (_access.AllowUnauthenticatedRemote)
            {
                Log.AccessOpen(_logger);
            }
            else
            {
                Log.AccessLocalOnly(_logger);
            }
        }
    }
}
