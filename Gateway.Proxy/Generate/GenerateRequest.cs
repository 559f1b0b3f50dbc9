using System.Text;
using System.Text.Json;

namespace Gateway.Proxy.Generate;

/// <summary>One message of a unified request.</summary>
public sealed record GenerateMessage(string Role, string Content);

/// <summary>
/// The guide's unified request: <c>{messages, provider?, model?, max_tokens, temperature?, system?, stream?}</c>.
/// Parsing names the field that is wrong.
/// </summary>
public sealed record GenerateRequest(
    IReadOnlyList<GenerateMessage> Messages, string? Provider, string? Model, int MaxTokens, double? Temperature, string? System, bool Stream)
{
    public static bool TryParse(ReadOnlySpan<byte> body, out GenerateRequest? request, out string? error)
    {
        request = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException ex)
        {
            error = $"Request body is not valid JSON: {ex.Message}";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "Request body must be a JSON object";
                return false;
            }

            if (!root.TryGetProperty("messages", out var messagesElement) || messagesElement.ValueKind != JsonValueKind.Array || messagesElement.GetArrayLength() == 0)
            {
                error = "messages is required: a non-empty array of {role, content}";
                return false;
            }

            var messages = new List<GenerateMessage>();
            var index = 0;
            foreach (var message in messagesElement.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    error = $"messages[{index}] must be an object";
                    return false;
                }

                var role = message.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
                if (role is not ("user" or "assistant"))
                {
                    error = $"messages[{index}].role must be 'user' or 'assistant'";
                    return false;
                }

                if (!message.TryGetProperty("content", out var c) || ContentText(c) is not { Length: > 0 } content)
                {
                    error = $"messages[{index}].content must be a non-empty string or an array of text parts";
                    return false;
                }

                messages.Add(new GenerateMessage(role, content));
                index++;
            }

            if (!root.TryGetProperty("max_tokens", out var maxTokens) || maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out var max) || max <= 0)
            {
                error = "max_tokens is required: a positive integer";
                return false;
            }

            double? temperature = null;
            if (root.TryGetProperty("temperature", out var t) && t.ValueKind != JsonValueKind.Null)
            {
                if (t.ValueKind != JsonValueKind.Number || t.GetDouble() is < 0 or > 2)
                {
                    error = "temperature must be a number from 0 to 2";
                    return false;
                }

                temperature = t.GetDouble();
            }

            if (!OptionalString(root, "provider", out var provider, out error)
                || !OptionalString(root, "model", out var model, out error)
                || !OptionalString(root, "system", out var system, out error))
            {
                return false;
            }

            var stream = false;
            if (root.TryGetProperty("stream", out var s) && s.ValueKind != JsonValueKind.Null)
            {
                if (s.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    error = "stream must be a boolean";
                    return false;
                }

                stream = s.GetBoolean();
            }

            request = new GenerateRequest(messages, provider, model, max, temperature, system, stream);
            error = null;
            return true;
        }
    }

    private static bool OptionalString(JsonElement root, string name, out string? value, out string? error)
    {
        value = null;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            error = $"{name} must be a non-empty string";
            return false;
        }

        value = element.GetString();
        return true;
    }

    private static string? ContentText(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            {
                text.Append(t.GetString());
            }
            else
            {
                return null;
            }
        }

        return text.ToString();
    }
}
