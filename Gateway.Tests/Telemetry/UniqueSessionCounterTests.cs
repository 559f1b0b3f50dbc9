using Gateway.Proxy.Telemetry;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Telemetry;

public sealed class UniqueSessionCounterTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(1_000)]
    [InlineData(100_000)]
    public void Estimate_DistinctSessions_Within3Percent(int count)
    {
        var counter = new UniqueSessionCounter(new FakeTimeProvider(), TimeSpan.FromHours(1));
        for (var i = 0; i < count; i++)
        {
            counter.Add("session-" + i);
            counter.Add("session-" + i);
        }

        Assert.InRange(counter.Estimate(), count * 0.97, count * 1.03);
    }

    [Fact]
    public void Estimate_SessionsOlderThanWindow_AreForgotten()
    {
        var clock = new FakeTimeProvider();
        var counter = new UniqueSessionCounter(clock, TimeSpan.FromHours(1));
        for (var i = 0; i < 100; i++)
        {
            counter.Add("old-" + i);
        }

        clock.Advance(TimeSpan.FromMinutes(30));
        for (var i = 0; i < 50; i++)
        {
            counter.Add("new-" + i);
        }

        Assert.InRange(counter.Estimate(), 147, 153);
        clock.Advance(TimeSpan.FromMinutes(31));
        Assert.InRange(counter.Estimate(), 49, 51);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, counter.Estimate());
    }
}
