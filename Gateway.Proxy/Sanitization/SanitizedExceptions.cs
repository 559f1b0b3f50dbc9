using System.Diagnostics;

namespace Gateway.Proxy.Sanitization;

/// <summary>Records an exception on a span with its message and stack trace sanitized (span events cannot be edited later).</summary>
public static class SanitizedExceptions
{
    public static void Record(Activity? activity, Exception exception, Sanitizer sanitizer)
    {
        if (activity is null || !activity.IsAllDataRequested)
        {
            return;
        }

        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            ["exception.type"] = exception.GetType().FullName,
            ["exception.message"] = sanitizer.Sanitize(exception.Message),
            ["exception.stacktrace"] = sanitizer.Sanitize(exception.ToString()),
        }));
    }
}
