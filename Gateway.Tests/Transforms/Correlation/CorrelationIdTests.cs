using Gateway.Transforms.Correlation;

namespace Gateway.Tests.Transforms.Correlation;

public sealed class CorrelationIdTests
{
    [Fact]
    public void NewId_IsAVersion4Uuid_AndUnique()
    {
        var ids = new HashSet<string>();
        for (var i = 0; i < 100_000; i++)
        {
            var id = CorrelationMiddleware.NewId();
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.True(ids.Add(id), id);
        }
    }
}
