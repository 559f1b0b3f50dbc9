using System.Text.Json;
using Gateway.Proxy.Logging;
using Gateway.Proxy.Sanitization;
using Serilog.Events;
using Serilog.Parsing;

namespace Gateway.Tests.Logging;

public sealed class GatewayJsonFormatterTests
{
    [Fact]
    public void TraceIds_AreWrittenAsIs_EveryOtherString_IsSanitized_AndSensitiveKeysRedacted()
    {
        var line = Format(
            ("trace_id", "4111111111111111ffc0204915d32344"),
            ("span_id", "0653497912e8bcf4"),
            ("model", "ask john.doe@example.com"),
            ("api_key", "not-even-a-key-shape"),
            ("input_tokens", 12L));

        Assert.Equal("4111111111111111ffc0204915d32344", line.GetProperty("trace_id").GetString());
        Assert.Equal("0653497912e8bcf4", line.GetProperty("span_id").GetString());
        Assert.Equal("ask [REDACTED_EMAIL]", line.GetProperty("model").GetString());
        Assert.Equal("[REDACTED_SECRET]", line.GetProperty("api_key").GetString());
        Assert.Equal(12, line.GetProperty("input_tokens").GetInt64());
    }

    [Fact]
    public void AFieldNamedTraceId_ThatIsNotAnId_IsStillSanitized()
    {
        var line = Format(("trace_id", "mail me at jane@example.org"), ("span_id", "4111 1111 1111 1111"));

        Assert.Equal("mail me at [REDACTED_EMAIL]", line.GetProperty("trace_id").GetString());
        Assert.Equal("[REDACTED_CREDIT_CARD]", line.GetProperty("span_id").GetString());
    }

    [Fact]
    public void SensitiveKeyVerdicts_AreStableWhenAsked_Repeatedly()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Sanitizer.IsSensitiveKey("X-Api-Key"));
            Assert.True(Sanitizer.IsSensitiveKey("refresh_token"));
            Assert.False(Sanitizer.IsSensitiveKey("input_tokens"));
            Assert.False(Sanitizer.IsSensitiveKey("provider"));
        }
    }

    private static JsonElement Format(params (string Name, object Value)[] properties)
    {
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse("line"),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))).Append(new LogEventProperty("event", new ScalarValue("test_event"))));
        using var output = new StringWriter();
        new GatewayJsonFormatter(new Sanitizer()).Format(logEvent, output);
        return JsonDocument.Parse(output.ToString()).RootElement.Clone();
    }
}
