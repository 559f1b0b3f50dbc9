using System.Diagnostics;
using Gateway.Proxy.Sanitization;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Transforms.Usage;
using Gateway.Transforms.Usage;
using Xunit.Abstractions;

namespace Gateway.Tests.Hardening;

/// <summary>
/// Time-bounded fuzzing: the usage parsers (every shape and framing) and the sanitizer get random and mutated
/// inputs from the golden fixtures. None may throw, hang, or keep memory. In the sequential collection: they keep
/// both cores busy, which would disturb the timing assertions of tests running beside them.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(4);

    [Fact]
    public void Parsers_RandomAndMutatedInputs_NeverThrowOrGrow()
    {
        var random = new Random(1234);
        var seeds = UsageParserTests.CaseNames.Select(UsageParserTests.Body).ToArray();
        var shapes = Enum.GetValues<UsageShape>();
        var framings = Enum.GetValues<BodyFraming>();
        GC.Collect();
        var baseline = GC.GetTotalMemory(true);
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed < Budget)
        {
            var seed = seeds[random.Next(seeds.Length)];
            var input = Mutate(random, seed);
            using var parser = new UsageParser(shapes[random.Next(shapes.Length)], framings[random.Next(framings.Length)], "m");
            var offset = 0;
            while (offset < input.Length)
            {
                var size = Math.Min(random.Next(1, 300), input.Length - offset);
                parser.Feed(input.AsSpan(offset, size));
                offset += size;
            }

            parser.Finish();
            _ = parser.GetUsage();
            runs++;
        }

        GC.Collect();
        var grown = GC.GetTotalMemory(true) - baseline;
        output.WriteLine($"{runs} parser runs in {Budget.TotalSeconds} s, memory grew {grown} bytes");
        Assert.True(runs > 1000);
        Assert.True(grown < 8 * 1024 * 1024, $"memory grew {grown} bytes");
    }

    [Fact]
    public void Sanitizer_RandomAndMutatedInputs_NeverThrowOrHang()
    {
        var sanitizer = new Sanitizer(new SanitizerOptions { RedactIpAddresses = true });
        var random = new Random(99);
        var seeds = Sanitization.SanitizerCorpus.Positives().Select(p => p.Text).Concat(Sanitization.SanitizerCorpus.Negatives()).ToArray();
        const string Alphabet = "0123456789 -.+@:/_abcdefXYZ()sk-AKIAeyJBearer\n\"";
        var clock = Stopwatch.StartNew();
        var runs = 0;
        var slowest = TimeSpan.Zero;
        while (clock.Elapsed < Budget)
        {
            var text = random.Next(4) == 0
                ? new string(Enumerable.Range(0, random.Next(1, 4000)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray())
                : System.Text.Encoding.UTF8.GetString(Mutate(random, System.Text.Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Range(0, random.Next(1, 20)).Select(_ => seeds[random.Next(seeds.Length)])))));
            var one = Stopwatch.StartNew();
            _ = sanitizer.Sanitize(text);
            _ = sanitizer.SanitizeJson(text);
            slowest = one.Elapsed > slowest ? one.Elapsed : slowest;
            runs++;
        }

        output.WriteLine($"{runs} sanitizer runs in {Budget.TotalSeconds} s, slowest {slowest.TotalMilliseconds:0.0} ms");
        Assert.True(runs > 1000);
        Assert.True(slowest < TimeSpan.FromSeconds(1), $"slowest input took {slowest}");
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToArray();
        switch (random.Next(5))
        {
            case 0:
                return bytes[..random.Next(bytes.Length + 1)];
            case 1:
                for (var i = random.Next(1, 16); i > 0 && bytes.Length > 0; i--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return bytes;
            case 2:
                var cut = random.Next(bytes.Length + 1);
                return [.. bytes[..cut], .. bytes[cut..], .. bytes[..Math.Min(cut, 200)]];
            case 3:
                var noise = new byte[random.Next(1, 512)];
                random.NextBytes(noise);
                var at = random.Next(bytes.Length + 1);
                return [.. bytes[..at], .. noise, .. bytes[at..]];
            default:
                return bytes;
        }
    }
}
