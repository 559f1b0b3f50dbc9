using System.Diagnostics;
using OpenTelemetry;

namespace Gateway.Proxy.Sanitization;

/// <summary>Sanitizes every string attribute and the status description of a span before any exporter sees it.</summary>
internal sealed class SanitizingSpanProcessor : BaseProcessor<Activity>
{
    private readonly Sanitizer _sanitizer;

    public SanitizingSpanProcessor(Sanitizer sanitizer)
    {
        _sanitizer = sanitizer;
    }

    public override void OnEnd(Activity data)
    {
        List<KeyValuePair<string, string>>? changes = null;
        foreach (var (key, value) in data.Tags)
        {
            if (value is null)
            {
                continue;
            }

            var clean = Sanitizer.IsSensitiveKey(key) ? _sanitizer.Redacted("SECRET") : _sanitizer.Sanitize(value);
            if (!ReferenceEquals(clean, value))
            {
                (changes ??= []).Add(new(key, clean));
            }
        }

        foreach (var (key, clean) in changes ?? [])
        {
            data.SetTag(key, clean);
        }

        if (data.StatusDescription is { } description && !ReferenceEquals(_sanitizer.Sanitize(description), description))
        {
            data.SetStatus(data.Status, _sanitizer.Sanitize(description));
        }
    }
}
