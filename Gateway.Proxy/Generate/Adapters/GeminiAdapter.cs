using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Generate.Adapters;

/// <summary>Gemini generateContent / streamGenerateContent (SSE).</summary>
internal sealed class GeminiAdapter : IGenerateAdapter
{
    public UsageShape Shape => UsageShape.Gemini;

    public string PathFor(string model, bool stream) =>
        "v1beta/models/" + Uri.EscapeDataString(model) + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");

    public byte[] Body(GenerateRequest request, string model, bool stream)
    {
        var contents = new JsonArray();
        foreach (var message in request.Messages)
        {
            contents.Add(new JsonObject
            {
                ["role"] = message.Role == "assistant" ? "model" : "user",
                ["parts"] = new JsonArray(new JsonObject { ["text"] = message.Content }),
            });
        }

        var config = new JsonObject { ["maxOutputTokens"] = request.MaxTokens };
        if (request.Temperature is { } temperature)
        {
            config["temperature"] = temperature;
        }

        var body = new JsonObject { ["contents"] = contents, ["generationConfig"] = config };
        if (request.System is not null)
        {
            body["systemInstruction"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = request.System }) };
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    public string ReadContent(JsonElement response) => ReadDelta(response) ?? string.Empty;

    public string? ReadDelta(JsonElement streamEvent)
    {
        if (!streamEvent.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array || candidates.GetArrayLength() == 0
            || !candidates[0].TryGetProperty("content", out var content) || !content.TryGetProperty("parts", out var parts))
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.TryGetProperty("text", out var t) && !(part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True))
            {
                text.Append(t.GetString());
            }
        }

        return text.ToString();
    }
}
