using System.Text.Json;
using Gateway.Transforms.Bedrock;

namespace Gateway.Proxy.Generate.Adapters;

/// <summary>Bedrock InvokeModel with an Anthropic body; streams come back as event-stream frames.</summary>
internal sealed class BedrockAdapter : AnthropicAdapter
{
    public override string PathFor(string model, bool stream) =>
        "model/" + Uri.EscapeDataString(model) + (stream ? "/invoke-with-response-stream" : "/invoke");

    public override byte[] Body(GenerateRequest request, string model, bool stream)
    {
        var body = BaseBody(request);
        body["anthropic_version"] = AnthropicToBedrock.AnthropicVersion;
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
