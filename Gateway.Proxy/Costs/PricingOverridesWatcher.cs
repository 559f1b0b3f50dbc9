using Gateway.Pricing.Catalog;
using Gateway.Pricing.Cost;
using Gateway.Proxy.Logging;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Costs;

/// <summary>Applies price overrides at start-up (fatal if malformed) and again whenever the override file changes.</summary>
internal sealed class PricingOverridesWatcher : IHostedService, IDisposable
{
    private readonly CostService _costs;
    private readonly IConfiguration _configuration;
    private readonly string _contentRoot;
    private readonly ILogger<PricingOverridesWatcher> _logger;
    private PhysicalFileProvider? _files;
    private IDisposable? _watch;

    public PricingOverridesWatcher(CostService costs, IConfiguration configuration, IHostEnvironment environment, ILogger<PricingOverridesWatcher> logger)
    {
        _costs = costs;
        _configuration = configuration;
        _contentRoot = environment.ContentRootPath;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _costs.SetConfiguredOverrides(PricingOverrides.Load(_configuration, _contentRoot));
        var file = PricingOverrides.OverrideFilePath(_configuration, _contentRoot);
        if (file is not null)
        {
            _files = new PhysicalFileProvider(Path.GetDirectoryName(file)!);
            var name = Path.GetFileName(file);
            _watch = ChangeToken.OnChange(() => _files.Watch(name), Reload);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    private void Reload()
    {
        var path = PricingOverrides.OverrideFilePath(_configuration, _contentRoot) ?? "pricing overrides";
        try
        {
            _costs.SetConfiguredOverrides(PricingOverrides.Load(_configuration, _contentRoot));
            Log.ConfigReloaded(_logger, path);
        }
        catch (PricingFormatException ex)
        {
            Log.ConfigRejected(_logger, path, ex.Message);
        }
    }
}
