using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Transforms.Bedrock;

/// <summary>Turns an Anthropic Messages request into a Bedrock InvokeModel request for the same model.</summary>
public static class AnthropicToBedrock
{
    public const string AnthropicVersion = "bedrock-2023-05-31";

    private static readonly JsonSerializerOptions WriteOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The converted body and path, or null when the body is not an Anthropic Messages request.</summary>
    public static (byte[] Body, string Path, bool Stream, string BedrockModel)? Convert(ReadOnlySpan<byte> anthropicBody, BedrockModelMap map)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(anthropicBody) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException)
        {
            return null;
        }

        var model = body["model"] is JsonValue m && m.TryGetValue<string>(out var name) ? name : null;
        var bedrockModel = map.Resolve(model);
        if (bedrockModel is null)
        {
            return null;
        }

        var stream = body["stream"] is JsonValue s && s.GetValueKind() == JsonValueKind.True;
        body.Remove("model");
        body.Remove("stream");
        body["anthropic_version"] ??= AnthropicVersion;
        var path = "/model/" + Uri.EscapeDataString(bedrockModel) + (stream ? "/invoke-with-response-stream" : "/invoke");
        return (JsonSerializer.SerializeToUtf8Bytes(body, WriteOptions), path, stream, bedrockModel);
    }
}
