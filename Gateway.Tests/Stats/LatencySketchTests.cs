using Gateway.Proxy.Stats;

namespace Gateway.Tests.Stats;

public sealed class LatencySketchTests
{
    [Fact]
    public void Quantiles_MatchExactPercentiles_Within5Percent()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(random.NextDouble() * 8) / 1000).ToArray();
        var sketch = new LatencySketch();
        foreach (var v in values)
        {
            sketch.Record(v);
        }

        Array.Sort(values);
        foreach (var q in new[] { 0.5, 0.9, 0.95, 0.99 })
        {
            var exact = values[(int)Math.Ceiling(q * values.Length) - 1];
            var estimate = sketch.Quantile(q);
            Assert.InRange(estimate, exact * 0.95, exact * 1.05);
        }
    }

    [Fact]
    public void Quantile_Empty_IsZero()
    {
        Assert.Equal(0, new LatencySketch().Quantile(0.99));
    }
}
