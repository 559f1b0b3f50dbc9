using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Generate.Adapters;

/// <summary>OpenAI Chat Completions (and OpenAI-compatible servers).</summary>
internal sealed class OpenAIAdapter : IGenerateAdapter
{
    public UsageShape Shape => UsageShape.OpenAIChat;

    public string PathFor(string model, bool stream) => "v1/chat/completions";

    public byte[] Body(GenerateRequest request, string model, bool stream)
    {
        var messages = new JsonArray();
        if (request.System is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = request.System });
        }

        foreach (var message in request.Messages)
        {
            messages.Add(new JsonObject { ["role"] = message.Role, ["content"] = message.Content });
        }

        var body = new JsonObject { ["model"] = model, ["messages"] = messages, ["max_completion_tokens"] = request.MaxTokens };
        if (request.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    public string ReadContent(JsonElement response) =>
        response.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
        && choices[0].TryGetProperty("message", out var message) && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Empty;

    public string? ReadDelta(JsonElement streamEvent) =>
        streamEvent.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0
        && choices[0].TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : null;
}
