using System.Text.Json;
using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Generate.Adapters;

/// <summary>Translates the unified request into one provider's API and reads text back out of its responses.</summary>
internal interface IGenerateAdapter
{
    UsageShape Shape { get; }

    /// <summary>Path (and query) relative to the destination address.</summary>
    string PathFor(string model, bool stream);

    /// <summary>The provider's request body.</summary>
    byte[] Body(GenerateRequest request, string model, bool stream);

    /// <summary>The text of a complete (non-streamed) response.</summary>
    string ReadContent(JsonElement response);

    /// <summary>The text delta of one streamed event's JSON, or null.</summary>
    string? ReadDelta(JsonElement streamEvent);
}
