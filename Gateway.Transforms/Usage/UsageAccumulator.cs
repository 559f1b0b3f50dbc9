using System.Text;
using System.Text.Json;
using Gateway.Pricing.Usage;

namespace Gateway.Transforms.Usage;

/// <summary>
/// Collects the token fields and model seen in a response, latest value per field winning (Anthropic's
/// <c>message_delta</c> and Gemini's chunks report cumulative counts), and maps them to billed usage.
/// </summary>
internal sealed class UsageAccumulator
{
    private const int MaxModelLength = 256;

    private readonly long[] _values = new long[(int)UsageField.Count];
    private int _present;

    public string? Model { get; private set; }

    public bool HasUsage => _present != 0;

    public bool Has(UsageField field) => (_present & (1 << (int)field)) != 0;

    public long Get(UsageField field) => Has(field) ? _values[(int)field] : 0;

    public void Set(UsageField field, long value)
    {
        _values[(int)field] = Math.Max(0, value);
        _present |= 1 << (int)field;
    }

    /// <summary>Sets a field only if the body did not report it (Bedrock's token-count headers).</summary>
    public void SetIfAbsent(UsageField field, long value)
    {
        if (!Has(field))
        {
            Set(field, value);
        }
    }

    public void SetModelIfAbsent(string? model)
    {
        if (Model is null && !string.IsNullOrWhiteSpace(model) && model.Length <= MaxModelLength)
        {
            Model = model;
        }
    }

    /// <summary>Reads a complete JSON document, picking up usage objects and the model at any depth.</summary>
    /// <exception cref="JsonException">The document is malformed.</exception>
    public void ScanDocument(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (UsageFieldNames.IsUsageContainer(reader.ValueSpan))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadUsageObject(ref reader);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (Model is null && UsageFieldNames.IsModel(reader.ValueSpan))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length <= MaxModelLength)
                {
                    SetModelIfAbsent(reader.GetString());
                }
            }
        }
    }

    /// <summary>Reads a captured usage object (its bytes start with <c>{</c>).</summary>
    public void ScanUsageObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            ReadUsageObject(ref reader);
        }
    }

    /// <summary>Reads a captured JSON string value (with its quotes) as the model.</summary>
    public void ScanModelString(ReadOnlySpan<byte> json)
    {
        if (Model is not null)
        {
            return;
        }

        var reader = new Utf8JsonReader(json);
        if (reader.Read() && reader.TokenType == JsonTokenType.String)
        {
            SetModelIfAbsent(reader.GetString());
        }
    }

    public TokenUsage ToTokenUsage(UsageShape shape) => shape switch
    {
        UsageShape.AnthropicMessages => Anthropic(),
        UsageShape.OpenAIChat or UsageShape.OpenAIEmbeddings => new TokenUsage
        {
            InputTokens = Math.Max(0, Get(UsageField.PromptTokens) - Get(UsageField.CachedTokens)),
            CacheReadTokens = Get(UsageField.CachedTokens),
            OutputTokens = Get(UsageField.CompletionTokens),
            ReasoningTokens = Get(UsageField.ReasoningTokens),
        },
        UsageShape.OpenAIResponses => new TokenUsage
        {
            // Responses API: input_tokens includes cached tokens, output_tokens includes reasoning.
            InputTokens = Math.Max(0, Get(UsageField.InputTokens) - Get(UsageField.CachedTokens)),
            CacheReadTokens = Get(UsageField.CachedTokens),
            OutputTokens = Get(UsageField.OutputTokens),
            ReasoningTokens = Get(UsageField.ReasoningTokens),
        },
        UsageShape.Gemini => new TokenUsage
        {
            // promptTokenCount includes cached content; thoughts are billed as output.
            InputTokens = Math.Max(0, Get(UsageField.PromptTokenCount) - Get(UsageField.CachedContentTokenCount)) + Get(UsageField.ToolUsePromptTokenCount),
            CacheReadTokens = Get(UsageField.CachedContentTokenCount),
            OutputTokens = Get(UsageField.CandidatesTokenCount) + Get(UsageField.ThoughtsTokenCount),
            ReasoningTokens = Get(UsageField.ThoughtsTokenCount),
        },
        UsageShape.BedrockConverse => Has(UsageField.ConverseInputTokens) || Has(UsageField.ConverseOutputTokens)
            ? new TokenUsage
            {
                InputTokens = Get(UsageField.ConverseInputTokens),
                OutputTokens = Get(UsageField.ConverseOutputTokens),
                CacheReadTokens = Get(UsageField.ConverseCacheReadInputTokens),
                CacheWrite5mTokens = Get(UsageField.ConverseCacheWriteInputTokens),
            }
            : FromInvocationMetrics(),
        _ => default,
    };

    private TokenUsage Anthropic()
    {
        var anthropicReported = Has(UsageField.InputTokens) || Has(UsageField.OutputTokens)
            || Has(UsageField.CacheCreationInputTokens) || Has(UsageField.CacheReadInputTokens);
        if (!anthropicReported)
        {
            // Bedrock InvokeModel of a non-Anthropic body, or only the invocation metrics survived.
            return FromInvocationMetrics();
        }

        long write5m;
        long write1h;
        if (Has(UsageField.Ephemeral5mInputTokens) || Has(UsageField.Ephemeral1hInputTokens))
        {
            write5m = Get(UsageField.Ephemeral5mInputTokens);
            write1h = Get(UsageField.Ephemeral1hInputTokens);
        }
        else
        {
            // Without the TTL breakdown every cache write is a 5-minute write (Anthropic's default).
            write5m = Get(UsageField.CacheCreationInputTokens);
            write1h = 0;
        }

        return new TokenUsage
        {
            InputTokens = Get(UsageField.InputTokens),
            CacheReadTokens = Get(UsageField.CacheReadInputTokens),
            CacheWrite5mTokens = write5m,
            CacheWrite1hTokens = write1h,
            OutputTokens = Get(UsageField.OutputTokens),
        };
    }

    private TokenUsage FromInvocationMetrics() => new()
    {
        InputTokens = Get(UsageField.MetricInputTokenCount),
        OutputTokens = Get(UsageField.MetricOutputTokenCount),
        CacheReadTokens = Get(UsageField.MetricCacheReadInputTokenCount),
        CacheWrite5mTokens = Get(UsageField.MetricCacheWriteInputTokenCount),
    };

    private void ReadUsageObject(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && UsageFieldNames.TryMap(reader.ValueSpan, out var field))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
                {
                    Set(field, value);
                }
            }
        }
    }

    public override string ToString()
    {
        var builder = new StringBuilder("UsageAccumulator(");
        for (var i = 0; i < (int)UsageField.Count; i++)
        {
            if (Has((UsageField)i))
            {
                builder.Append((UsageField)i).Append('=').Append(_values[i]).Append(' ');
            }
        }

        return builder.Append(')').ToString();
    }
}
