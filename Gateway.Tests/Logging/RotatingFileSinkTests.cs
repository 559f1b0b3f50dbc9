using System.Text.Json;
using Gateway.Proxy.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;
using Serilog.Parsing;

namespace Gateway.Tests.Logging;

public sealed class RotatingFileSinkTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gateway-rotation", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void SizeRotation_KeepsCurrentNameAndFiveNumberedBackups_NewestFirst()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero));
        using (var sink = Sink(clock, maxBytes: 2000, backups: 5))
        {
            for (var i = 0; i < 400; i++)
            {
                sink.Emit(Event(clock, "line", i));
            }
        }

        var path = Path.Combine(_dir, "gateway.log");
        Assert.True(File.Exists(path));
        for (var n = 1; n <= 5; n++)
        {
            Assert.True(File.Exists($"{path}.{n}"), $"gateway.log.{n}");
            Assert.True(new FileInfo($"{path}.{n}").Length <= 2000);
        }

        Assert.False(File.Exists($"{path}.6"));

        // Oldest (.5) to newest (current): sequence numbers strictly increase and are contiguous across files.
        var sequence = new[] { $"{path}.5", $"{path}.4", $"{path}.3", $"{path}.2", $"{path}.1", path }
            .SelectMany(File.ReadAllLines)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt32())
            .ToList();
        Assert.Equal(399, sequence[^1]);
        Assert.Equal(Enumerable.Range(sequence[0], sequence.Count), sequence);
    }

    [Fact]
    public void SizeRotation_CountsTheFileLeftByAnEarlierProcess_AndNeverExceedsTheLimit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero));
        var path = Path.Combine(_dir, "gateway.log");
        Directory.CreateDirectory(_dir);
        File.WriteAllText(path, new string('x', 1960) + "\n");

        // The sink counts the bytes it writes rather than asking the file each line: it must start from the file's size.
        using (var sink = Sink(clock, maxBytes: 2000, backups: 5))
        {
            sink.Emit(Event(clock, "line", 0));
        }

        Assert.StartsWith("xxxx", File.ReadAllText($"{path}.1"), StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(File.ReadAllLines(path).Single()).RootElement.GetProperty("seq").GetInt32());

        using (var sink = Sink(clock, maxBytes: 2000, backups: 5))
        {
            for (var i = 1; i < 200; i++)
            {
                sink.Emit(Event(clock, "line", i));
            }
        }

        foreach (var file in Directory.EnumerateFiles(_dir, "gateway.log*"))
        {
            Assert.True(new FileInfo(file).Length <= 2000, $"{Path.GetFileName(file)} is {new FileInfo(file).Length} bytes");
        }
    }

    [Fact]
    public void DailyFile_RollsAtMidnightUtc_DatedName_Keeps30Days()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 23, 59, 0, TimeSpan.Zero));
        using (var sink = Sink(clock, maxBytes: 1_000_000, backups: 5))
        {
            sink.Emit(Event(clock, "day1", 1));
            for (var day = 0; day < 35; day++)
            {
                clock.Advance(TimeSpan.FromDays(1));
                sink.Emit(Event(clock, "day", day));
            }
        }

        var daily = Path.Combine(_dir, "gateway.daily.log");
        Assert.True(File.Exists(daily));
        Assert.Contains("\"seq\":4", File.ReadAllText(daily + ".2026-01-06"), StringComparison.Ordinal);
        var dated = Directory.GetFiles(_dir, "gateway.daily.log.*").Select(Path.GetFileName).Where(n => n != "gateway.daily.log").Order().ToList();
        Assert.True(dated.Count == 30, string.Join(", ", dated));
        Assert.Equal("gateway.daily.log.2026-01-06", dated[0]);
        Assert.Equal("gateway.daily.log.2026-02-04", dated[^1]);
        Assert.Contains("\"seq\":34", File.ReadAllText(daily), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EightWritersTimesTenThousandLines_AcrossManyRotations_NothingLostSplitOrDuplicated()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero));
        using (var sink = Sink(clock, maxBytes: 256 * 1024, backups: 200))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(() =>
            {
                for (var i = 0; i < 10_000; i++)
                {
                    sink.Emit(Event(clock, "w" + writer, i));
                }
            })));
        }

        var files = Directory.GetFiles(_dir, "gateway.log*");
        Assert.True(files.Length > 20, $"only {files.Length} files: not enough rotations to prove anything");
        var seen = new HashSet<string>();
        foreach (var line in files.SelectMany(File.ReadAllLines))
        {
            var json = JsonDocument.Parse(line).RootElement;
            Assert.True(seen.Add(json.GetProperty("event").GetString() + "#" + json.GetProperty("seq").GetInt32()), "duplicate " + line);
        }

        Assert.Equal(80_000, seen.Count);
    }

    [Fact]
    public void DirectoryRemovedOrUnwritable_KeepsLogging_CountsWhatItCouldNotWrite()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 19, 10, 0, 0, TimeSpan.Zero));
        using var sink = Sink(clock, maxBytes: 1_000_000, backups: 5);
        sink.Emit(Event(clock, "before", 1));

        Directory.Delete(_dir, recursive: true);
        File.WriteAllText(_dir, "a file where the log directory was");
        Thread.Sleep(1100);
        sink.Emit(Event(clock, "lost", 2));
        Assert.True(sink.Dropped >= 1);

        File.Delete(_dir);
        sink.Emit(Event(clock, "after", 3));
        sink.Flush();
        Assert.Contains("after", File.ReadAllText(Path.Combine(_dir, "gateway.log")), StringComparison.Ordinal);
    }

    private RotatingFileSink Sink(TimeProvider clock, long maxBytes, int backups) =>
        new(new GatewayJsonFormatter(), Path.Combine(_dir, "gateway.log"), maxBytes, backups, Path.Combine(_dir, "gateway.daily.log"), 30, clock);

    private static LogEvent Event(TimeProvider clock, string message, int seq) =>
        new(clock.GetUtcNow(), LogEventLevel.Information, null, new MessageTemplateParser().Parse(message),
            [new LogEventProperty("seq", new ScalarValue(seq))]);
}
