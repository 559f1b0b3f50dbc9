using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Transforms.Usage;

namespace Gateway.Proxy.Generate.Adapters;

/// <summary>Anthropic Messages (also the mock provider, and Bedrock InvokeModel's body).</summary>
internal class AnthropicAdapter : IGenerateAdapter
{
    public UsageShape Shape => UsageShape.AnthropicMessages;

    public virtual string PathFor(string model, bool stream) => "v1/messages";

    public virtual byte[] Body(GenerateRequest request, string model, bool stream)
    {
        var body = BaseBody(request);
        body["model"] = model;
        if (stream)
        {
            body["stream"] = true;
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    public string ReadContent(JsonElement response)
    {
        var text = new StringBuilder();
        if (response.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("type", out var type) && type.GetString() == "text" && block.TryGetProperty("text", out var t))
                {
                    text.Append(t.GetString());
                }
            }
        }

        return text.ToString();
    }

    public string? ReadDelta(JsonElement streamEvent) =>
        streamEvent.TryGetProperty("type", out var type) && type.GetString() == "content_block_delta"
        && streamEvent.TryGetProperty("delta", out var delta) && delta.TryGetProperty("text", out var text)
            ? text.GetString()
            : null;

    protected static JsonObject BaseBody(GenerateRequest request)
    {
        var messages = new JsonArray();
        foreach (var message in request.Messages)
        {
            messages.Add(new JsonObject { ["role"] = message.Role, ["content"] = message.Content });
        }

        var body = new JsonObject { ["max_tokens"] = request.MaxTokens, ["messages"] = messages };
        if (request.System is not null)
        {
            body["system"] = request.System;
        }

        if (request.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        return body;
    }
}
