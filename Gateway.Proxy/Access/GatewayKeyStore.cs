using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gateway.Proxy.Logging;
using Gateway.Proxy.RateLimiting;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Access;

/// <summary>
/// The configured gateway keys: env <c>GATEWAY_API_KEYS</c> (<c>name:key,name:key</c>) and/or the JSON keys file
/// <c>Gateway:KeysFile</c> (<c>[{"name":..., "key":..., "rateLimit":"100/minute", "routes":["openai"]}]</c>),
/// reloaded when the file changes. Lookups hash the presented key and compare in constant time.
/// </summary>
public sealed class GatewayKeyStore : IDisposable
{
    private readonly IReadOnlyList<GatewayKey> _fromEnvironment;
    private readonly string? _file;
    private readonly ILogger<GatewayKeyStore>? _logger;
    private readonly PhysicalFileProvider? _files;
    private readonly IDisposable? _watch;
    private volatile IReadOnlyList<GatewayKey> _keys;

    public GatewayKeyStore(IConfiguration configuration, IHostEnvironment environment, ILogger<GatewayKeyStore>? logger = null)
    {
        _logger = logger;
        _fromEnvironment = ParseEnvironment(configuration["GATEWAY_API_KEYS"]);
        var file = configuration["Gateway:KeysFile"];
        _file = string.IsNullOrWhiteSpace(file) ? null : Path.GetFullPath(file, environment.ContentRootPath);
        _keys = [.. _fromEnvironment, .. (_file is null ? [] : ParseFile(_file))];
        if (_file is not null)
        {
            _files = new PhysicalFileProvider(Path.GetDirectoryName(_file)!);
            var name = Path.GetFileName(_file);
            _watch = ChangeToken.OnChange(() => _files.Watch(name), Reload);
        }
    }

    /// <summary>True when gateway keys are required.</summary>
    public bool Enabled => _keys.Count > 0 || _file is not null;

    public int Count => _keys.Count;

    /// <summary>The key matching <paramref name="presented"/>, compared in constant time against every configured key.</summary>
    public GatewayKey? Find(string presented)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        GatewayKey? match = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                match = key;
            }
        }

        return match;
    }

    public void Dispose()
    {
        _watch?.Dispose();
        _files?.Dispose();
    }

    internal static IReadOnlyList<GatewayKey> ParseEnvironment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var keys = new List<GatewayKey>();
        var index = 0;
        foreach (var entry in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == entry.Length - 1)
            {
                throw new InvalidOperationException($"GATEWAY_API_KEYS entry {index} is not 'name:key' (the key itself is not shown).");
            }

            keys.Add(new GatewayKey(entry[..colon], entry[(colon + 1)..]));
            index++;
        }

        return keys;
    }

    internal static IReadOnlyList<GatewayKey> ParseFile(string path)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(File.ReadAllBytes(path)).RootElement;
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Gateway:KeysFile '{path}': {ex.Message}", ex);
        }

        if (root.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidOperationException($"Gateway:KeysFile '{path}': must be a JSON array of {{name, key, rateLimit?, routes?}}");
        }

        var keys = new List<GatewayKey>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            var where = $"Gateway:KeysFile '{path}' [{index}]";
            var name = item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString()) ? n.GetString()! : throw new InvalidOperationException(where + ".name is required");
            var key = item.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String && k.GetString()!.Length >= 8 ? k.GetString()! : throw new InvalidOperationException(where + ".key is required (at least 8 characters)");
            RateLimitRule? limit = null;
            if (item.TryGetProperty("rateLimit", out var r) && r.ValueKind == JsonValueKind.String)
            {
                limit = RateLimitRule.Parse(r.GetString(), where + ".rateLimit");
            }

            var routes = item.TryGetProperty("routes", out var rs) && rs.ValueKind == JsonValueKind.Array
                ? rs.EnumerateArray().Select(x => x.GetString()!).Where(x => !string.IsNullOrWhiteSpace(x)).ToArray()
                : [];
            keys.Add(new GatewayKey(name, key, limit, routes));
            index++;
        }

        return keys;
    }

    private void Reload()
    {
        try
        {
            _keys = [.. _fromEnvironment, .. ParseFile(_file!)];
            if (_logger is not null)
            {
                Log.ConfigReloaded(_logger, _file!);
            }
        }
        catch (InvalidOperationException ex)
        {
            if (_logger is not null)
            {
                Log.ConfigRejected(_logger, _file!, ex.Message);
            }
        }
    }
}
