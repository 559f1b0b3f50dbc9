using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Primitives;

namespace Gateway.Proxy.Configuration;

/// <summary>
/// Loads routes.json and reloads it on change. Unlike the stock JSON provider, which applies an empty
/// configuration when a reload fails to parse, a reload that is empty, truncated or invalid is rejected and the
/// last good configuration stays active.
/// </summary>
internal sealed class RoutesFileConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly RoutesFileConfigurationSource _source;
    private readonly string _fullPath;
    private readonly PhysicalFileProvider _fileProvider;
    private readonly IDisposable _watch;
    private readonly Lock _gate = new();
    private Timer? _debounce;

    public RoutesFileConfigurationProvider(RoutesFileConfigurationSource source)
    {
        _source = source;
        _fullPath = System.IO.Path.GetFullPath(source.Path);
        var directory = System.IO.Path.GetDirectoryName(_fullPath)!;
        _fileProvider = new PhysicalFileProvider(directory);
        var fileName = System.IO.Path.GetFileName(_fullPath);
        _watch = ChangeToken.OnChange(() => _fileProvider.Watch(fileName), ScheduleReload);
    }

    public override void Load()
    {
        // At start-up a bad file is fatal, with a message naming the file and the key.
        var (data, error) = TryRead();
        if (data is null)
        {
            throw new InvalidDataException($"{_fullPath}: {error}");
        }

        Data = data;
    }

    public void Dispose()
    {
        _watch.Dispose();
        _debounce?.Dispose();
        _fileProvider.Dispose();
    }

    private void ScheduleReload()
    {
        // Editors write in several steps; wait for the writes to settle before reading.
        lock (_gate)
        {
            _debounce?.Dispose();
            _debounce = new Timer(_ => Reload(), null, _source.ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reload()
    {
        var (data, error) = TryRead();
        if (data is null)
        {
            _source.Notifier.OnRejected(_fullPath, error!);
            return;
        }

        Data = data;
        OnReload();
        _source.Notifier.OnReloaded(_fullPath);
    }

    private (Dictionary<string, string?>? Data, string? Error) TryRead()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(_fullPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read ({ex.Message})");
        }

        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, "file is empty");
        }

        IConfigurationRoot parsed;
        try
        {
            parsed = new ConfigurationBuilder().AddJsonStream(new MemoryStream(bytes)).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            return (null, $"not valid JSON ({ex.InnerException?.Message ?? ex.Message})");
        }

        var problem = RoutesConfigValidator.Validate(parsed);
        if (problem is not null)
        {
            return (null, problem);
        }

        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in parsed.AsEnumerable())
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        return (data, null);
    }
}
