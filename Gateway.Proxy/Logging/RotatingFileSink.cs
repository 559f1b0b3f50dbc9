using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Gateway.Proxy.Logging;

/// <summary>
/// Writes the gateway's log files with the guide's layout: <c>gateway.log</c> is always the current file,
/// rotated by size into <c>gateway.log.1</c> (newest) … <c>gateway.log.N</c> (oldest); and a daily file
/// <c>gateway.daily.log</c> renamed at midnight UTC to <c>gateway.daily.log.YYYY-MM-DD</c>, kept for a number of days.
/// Rotation happens between whole lines under one lock, so no line is lost, split or interleaved. A write that
/// fails (disk full, directory removed) is counted and the file is reopened, recreating the directory, next time.
/// </summary>
public sealed class RotatingFileSink : ILogEventSink, IDisposable
{
    private readonly ITextFormatter _formatter;
    private readonly string _path;
    private readonly string? _dailyPath;
    private readonly long _maxBytes;
    private readonly int _backups;
    private readonly int _retentionDays;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private readonly StringWriter _line = new(CultureInfo.InvariantCulture);
    private char[] _chars = new char[4096];
    private byte[] _bytes = new byte[Encoding.UTF8.GetMaxByteCount(4096)];
    private FileStream? _current;
    private long _currentBytes;
    private FileStream? _daily;
    private DateOnly _dailyDate;
    private long _dropped;
    private long _lastExistsCheck;

    /// <param name="formatter">Turns an event into one line.</param>
    /// <param name="path">The current file, e.g. <c>logs/gateway.log</c>.</param>
    /// <param name="maxBytes">Size at which the current file is rotated.</param>
    /// <param name="backups">How many numbered backups to keep.</param>
    /// <param name="dailyPath">The daily file, or null for none.</param>
    /// <param name="retentionDays">How many dated daily files to keep.</param>
    /// <param name="timeProvider">Clock for the midnight rollover.</param>
    public RotatingFileSink(ITextFormatter formatter, string path, long maxBytes, int backups, string? dailyPath, int retentionDays, TimeProvider timeProvider)
    {
        _formatter = formatter;
        _path = Path.GetFullPath(path);
        _dailyPath = dailyPath is null ? null : Path.GetFullPath(dailyPath);
        _maxBytes = maxBytes;
        _backups = backups;
        _retentionDays = retentionDays;
        _timeProvider = timeProvider;

    }

    /// <summary>Lines that could not be written (I/O failures).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Emit(LogEvent logEvent)
    {
        lock (_gate)
        {
            _line.GetStringBuilder().Clear();
            _formatter.Format(logEvent, _line);
            var bytes = Encode(_line.GetStringBuilder());
            if (!WriteCurrent(bytes) | !WriteDaily(bytes))
            {
                Interlocked.Increment(ref _dropped);
            }
        }
    }

    /// <summary>The line as UTF-8 in a buffer reused for every line (called under the lock).</summary>
    private ReadOnlySpan<byte> Encode(StringBuilder line)
    {
        if (_chars.Length < line.Length)
        {
            _chars = new char[line.Length];
            _bytes = new byte[Encoding.UTF8.GetMaxByteCount(line.Length)];
        }

        line.CopyTo(0, _chars, line.Length);
        var count = Encoding.UTF8.GetBytes(_chars, 0, line.Length, _bytes, 0);
        return _bytes.AsSpan(0, count);
    }

    /// <summary>Pushes buffered lines to the files (the batching sink calls this after each batch, so tail -f keeps up).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            try
            {
                _current?.Flush();
                _daily?.Flush();
            }
            catch (IOException)
            {
                Close(ref _current);
                Close(ref _daily);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close(ref _current);
            Close(ref _daily);
            _line.Dispose();
        }
    }

    private bool WriteCurrent(ReadOnlySpan<byte> bytes)
    {
        try
        {
            // Once a second, notice a removed file or directory (an open handle keeps writing into the void).
            var now = Environment.TickCount64;
            if (_current is not null && now - _lastExistsCheck > 1000)
            {
                _lastExistsCheck = now;
                if (!File.Exists(_path))
                {
                    Close(ref _current);
                    Close(ref _daily);
                }
            }

            // The size is counted, not asked: FileStream.Length is an fstat system call, twice per line.
            if (_current is null)
            {
                _current = Open(_path);
                _currentBytes = _current.Length;
            }

            if (_currentBytes > 0 && _currentBytes + bytes.Length > _maxBytes)
            {
                Close(ref _current);
                Shift();
                _current = Open(_path);
                _currentBytes = 0;
            }

            _current.Write(bytes);
            _currentBytes += bytes.Length;
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Close(ref _current);
            return false;
        }
    }

    private bool WriteDaily(ReadOnlySpan<byte> bytes)
    {
        if (_dailyPath is null)
        {
            return true;
        }

        try
        {
            var today = DateOnly.FromDateTime(_timeProvider.GetUtcNow().UtcDateTime);
            if (_daily is null)
            {
                // A file left from an earlier day (the process was down at midnight) is dated by its last write.
                if (File.Exists(_dailyPath) && DateOnly.FromDateTime(File.GetLastWriteTimeUtc(_dailyPath)) is var written && written < today && new FileInfo(_dailyPath).Length > 0)
                {
                    RollDaily(written);
                }

                _daily = Open(_dailyPath);
                _dailyDate = today;
            }
            else if (today != _dailyDate)
            {
                Close(ref _daily);
                RollDaily(_dailyDate);
                _daily = Open(_dailyPath);
                _dailyDate = today;
            }

            _daily.Write(bytes);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Close(ref _daily);
            return false;
        }
    }

    private void Shift()
    {
        var oldest = $"{_path}.{_backups}";
        if (File.Exists(oldest))
        {
            File.Delete(oldest);
        }

        for (var i = _backups - 1; i >= 1; i--)
        {
            var from = $"{_path}.{i}";
            if (File.Exists(from))
            {
                File.Move(from, $"{_path}.{i + 1}", overwrite: true);
            }
        }

        if (_backups > 0)
        {
            File.Move(_path, $"{_path}.1", overwrite: true);
        }
        else
        {
            File.Delete(_path);
        }
    }

    private void RollDaily(DateOnly date)
    {
        File.Move(_dailyPath!, $"{_dailyPath}.{date:yyyy-MM-dd}", overwrite: true);
        var directory = Path.GetDirectoryName(_dailyPath)!;
        var prefix = Path.GetFileName(_dailyPath) + ".";
        var keepFrom = date.AddDays(-(_retentionDays - 1));
        foreach (var file in Directory.EnumerateFiles(directory, prefix + "*"))
        {
            var suffix = Path.GetFileName(file)[prefix.Length..];
            if (DateOnly.TryParseExact(suffix, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fileDate) && fileDate < keepFrom)
            {
                File.Delete(file);
            }
        }
    }

    private static FileStream Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 64 * 1024);
    }

    private static void Close(ref FileStream? stream)
    {
        try
        {
            stream?.Dispose();
        }
        catch (IOException)
        {
            // Flushing into a full disk fails; the lines in the buffer are lost and counted by the caller.
        }

        stream = null;
    }
}
