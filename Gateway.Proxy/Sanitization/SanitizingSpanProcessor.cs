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
        // EnumerateTagObjects walks the tags without allocating (Tags boxes an enumerator per span).
        foreach (ref readonly var tag in data.EnumerateTagObjects())
        {
            if (tag.Value is not string value)
            {
                continue;
            }

            var key = tag.Key;
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
