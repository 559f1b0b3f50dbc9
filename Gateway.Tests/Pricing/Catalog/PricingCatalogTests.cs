using Gateway.Pricing.Catalog;

namespace Gateway.Tests.Pricing.Catalog;

public sealed class PricingCatalogTests
{
    private static readonly PricingCatalog Catalog = PricingCatalog.LoadDefault();

    [Theory]
    [InlineData("anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", false)]
    [InlineData("anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5", false)]
    [InlineData("anthropic", "claude-3-haiku-20240307", "claude-3-haiku", false)]
    [InlineData("anthropic", "claude-opus-4-5-20251101", "claude-opus-4-5", false)]
    [InlineData("anthropic", "claude-haiku-4-5", "claude-haiku-4-5", false)]
    [InlineData("openai", "gpt-4o-2024-08-06", "gpt-4o", false)]
    [InlineData("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini", false)]
    [InlineData("openai", "gpt-4o-2024-05-13", "gpt-4o-2024-05-13", false)]
    [InlineData("openai", "gpt-4.1-nano-2025-04-14", "gpt-4.1-nano", false)]
    [InlineData("openai", "o4-mini-2025-04-16", "o4-mini", false)]
    [InlineData("openai", "gpt-5-mini-2025-08-07", "gpt-5-mini", false)]
    [InlineData("gemini", "models/gemini-2.5-pro", "gemini-2.5-pro", false)]
    [InlineData("gemini", "gemini-2.5-flash-preview-05-20", "gemini-2.5-flash", false)]
    [InlineData("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", true)]
    [InlineData("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5", false)]
    [InlineData("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet", true)]
    [InlineData("bedrock", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5", true)]
    [InlineData("mock", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5", false)]
    public void Resolve_ProviderIds_MapToCatalogEntry(string provider, string model, string expectedId, bool regional)
    {
        var resolved = Catalog.Resolve(provider, model);

        Assert.Equal(expectedId, resolved.CatalogId);
        Assert.Equal(regional, resolved.IsRegionalEndpoint);
    }

    [Fact]
    public void Resolve_BedrockIds_UseBedrockRows()
    {
        Assert.Equal("bedrock", Catalog.Resolve("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0").Price!.Provider);
        Assert.Equal("anthropic", Catalog.Resolve("anthropic", "claude-sonnet-4-5").Price!.Provider);
    }

    [Theory]
    [InlineData("claude-sonnet-9")]
    [InlineData("gpt-4o-ultra")]
    [InlineData("")]
    [InlineData(null)]
    public void Resolve_UnknownModel_IsUnpriced(string? model)
    {
        Assert.Null(Catalog.Resolve("anthropic", model).Price);
    }

    [Fact]
    public void ShippedFile_CoversTheRequiredModels_WithDateAndSource()
    {
        string[] required =
        [
            "claude-sonnet-4-5", "claude-opus-4-5", "claude-3-5-sonnet", "claude-3-haiku", "claude-opus-4-1", "claude-haiku-4-5", "claude-3-5-haiku",
            "gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3", "o4-mini", "gpt-5", "gpt-5-mini", "gpt-5-nano",
            "gemini-2.5-pro", "gemini-2.5-flash",
        ];
        foreach (var id in required)
        {
            Assert.Contains(Catalog.Models, m => m.Id == id);
        }

        Assert.All(Catalog.Models, m =>
        {
            Assert.False(string.IsNullOrEmpty(m.PriceDate));
            Assert.StartsWith("https://", m.Source, StringComparison.Ordinal);
        });
        Assert.Contains(Catalog.Models, m => m.Id == "claude-sonnet-4-5" && m.Provider == "bedrock");
    }

    [Fact]
    public void Opus45_UsesProviderPrice_NotTheGuidesOlderRow()
    {
        var opus = Catalog.Resolve("anthropic", "claude-opus-4-5").Price!;

        Assert.Equal(5.00m, opus.Standard.Input);
        Assert.Equal(25.00m, opus.Standard.Output);
    }

    [Fact]
    public void WithOverrides_ReplacesEntryById()
    {
        var overridden = Catalog.WithOverrides([new ModelPrice { Id = "gpt-4o", Provider = "openai", Standard = new PriceSheet { Input = 1m, Output = 2m } }]);

        Assert.Equal(1m, overridden.Resolve("openai", "gpt-4o").Price!.Standard.Input);
        Assert.Equal(1m, overridden.Resolve("openai", "gpt-4o-2024-08-06").Price!.Standard.Input);
        Assert.Equal(2.5m, Catalog.Resolve("openai", "gpt-4o-2024-08-06").Price!.Standard.Input);
    }

    [Theory]
    [InlineData("{\"models\": 3}", "'models' must be an array")]
    [InlineData("{\"models\": [{\"id\": \"x\", \"provider\": \"p\", \"output\": 1}]}", "models[0] ('x').input is required")]
    [InlineData("{\"models\": [{\"id\": \"x\", \"provider\": \"p\", \"input\": -1, \"output\": 1}]}", "models[0] ('x').input must be a non-negative number")]
    [InlineData("{\"models\": [", "not valid JSON")]
    public void PricingFileReader_MalformedFile_NamesTheKey(string json, string expected)
    {
        var ex = Assert.Throws<PricingFormatException>(() => PricingFileReader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "custom.json"));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("custom.json", ex.Message, StringComparison.Ordinal);
    }
}
