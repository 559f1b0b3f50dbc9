using System.Diagnostics;

namespace Gateway.Proxy.Telemetry;

/// <summary>
/// Span names and the gateway's <see cref="ActivitySource"/>. The request's root span is ASP.NET Core's own
/// server activity (source <c>Microsoft.AspNetCore</c>), renamed to the guide's name, so that no second span
/// per request is paid for; each upstream attempt is a child <c>provider_attempt_N</c>.
/// </summary>
public static class GatewayTracing
{
    public const string SourceName = "Gateway";
    public const string AspNetCoreSourceName = "Microsoft.AspNetCore";

    public const string GenerateRequest = "generate_request";
    public const string ProxyRequest = "proxy_request";

    public static readonly ActivitySource Source = new(SourceName);

    private static readonly string[] AttemptNames = ["provider_attempt_1", "provider_attempt_2", "provider_attempt_3", "provider_attempt_4"];

    public static string AttemptName(int attempt) =>
        attempt >= 1 && attempt <= AttemptNames.Length ? AttemptNames[attempt - 1] : "provider_attempt_" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Starts an upstream attempt span (null when nobody listens).</summary>
    public static Activity? StartAttempt(string provider, int attempt)
    {
        var activity = Source.StartActivity(AttemptName(attempt), ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("provider", provider);
            activity.SetTag("attempt", attempt);
            activity.SetTag("gen_ai.provider.name", provider);
        }

        return activity;
    }

    /// <summary>Names the root span and adds the HTTP attributes the AspNetCore instrumentation would.</summary>
    public static void NameRoot(Activity? root, string name, string method, string path)
    {
        if (root is null || root.Source.Name != AspNetCoreSourceName)
        {
            return;
        }

        root.DisplayName = name;
        if (root.IsAllDataRequested)
        {
            root.SetTag("http.request.method", method);
            root.SetTag("url.path", path);
        }
    }
}
