using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gateway.Proxy.Sanitization;

/// <summary>
/// Redacts PII and secrets from text before it leaves the process (logs, spans, logged bodies): e-mail
/// addresses, phone numbers, API keys (Anthropic, OpenAI, AWS, Google), bearer tokens, JWTs, Luhn-valid card
/// numbers, valid-range US SSNs, optionally IP addresses, and custom patterns. Keys and tokens are partially
/// redacted (<c>sk-an...123</c>). Values of sensitive keys (<c>api_key</c>, <c>password</c>, <c>authorization</c>,
/// ...) are always fully redacted. A string with no candidate is returned as is, without allocating.
/// </summary>
public sealed partial class Sanitizer
{
    // SearchValues: one vectorized pass per check. Ordinal-ignore-case string.Contains takes a scalar path
    // under InvariantGlobalization, and these checks run for every span attribute and log field.
    private static readonly SearchValues<string> SensitiveKeyParts = SearchValues.Create(
    [
        "api_key", "apikey", "api-key", "secret", "password", "passwd", "authorization", "credential",
        "private_key", "privatekey", "private-key", "access_key", "accesskey", "access-key", "secret_key", "cookie",
    ], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> Token = SearchValues.Create(["token"], StringComparison.OrdinalIgnoreCase);

    // "input_tokens", "max_tokens", "tokenCount", "cached_tokens_details": counts, not credentials.
    private static readonly SearchValues<string> TokenCount = SearchValues.Create(["tokens", "tokencount", "token_count"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> KeyPrefixes = SearchValues.Create(["sk-", "eyJ", "AIza", "AKIA", "ASIA"], StringComparison.Ordinal);
    private static readonly SearchValues<string> SecretWords = SearchValues.Create(["earer", "ecret"], StringComparison.OrdinalIgnoreCase);
    private static readonly SearchValues<char> AtOrPlus = SearchValues.Create("@+");

    private readonly Lock _gate = new();
    private volatile Rules _rules;

    public Sanitizer(SanitizerOptions? options = null)
    {
        options ??= new SanitizerOptions();
        _rules = new Rules(options.PartialRedaction, options.RedactIpAddresses, options.RedactionText,
            options.CustomPatterns.Select(p => (p.Key.ToUpperInvariant(), new Regex(p.Value, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100)))).ToArray());
    }

    /// <summary>The guide's <c>add_pattern</c>: matches of <paramref name="pattern"/> become <c>[REDACTED_NAME]</c>.</summary>
    public void AddPattern(string name, string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
        lock (_gate)
        {
            _rules = _rules with { Custom = [.. _rules.Custom, (name.ToUpperInvariant(), regex)] };
        }
    }

    /// <summary>The guide's <c>enable_partial_redaction</c>.</summary>
    public void EnablePartialRedaction(bool enabled)
    {
        lock (_gate)
        {
            _rules = _rules with { Partial = enabled };
        }
    }

    /// <summary>The guide's <c>set_redaction_text</c>: one text for every full redaction.</summary>
    public void SetRedactionText(string? text)
    {
        lock (_gate)
        {
            _rules = _rules with { RedactionText = text };
        }
    }

    /// <summary>True for key names whose values are always redacted (case-insensitive, also as substrings); token counts are not.</summary>
    public static bool IsSensitiveKey(string key)
    {
        // Every log line and span asks this of the same few dozen names: remembered (bounded), one lookup instead of three scans.
        if (KeyVerdicts.TryGetValue(key, out var known))
        {
            return known;
        }

        var span = key.AsSpan();
        var sensitive = span.ContainsAny(SensitiveKeyParts) || (span.ContainsAny(Token) && !span.ContainsAny(TokenCount));
        if (Volatile.Read(ref _keyVerdictCount) < KeyVerdictLimit && KeyVerdicts.TryAdd(key, sensitive))
        {
            Interlocked.Increment(ref _keyVerdictCount);
        }

        return sensitive;
    }

    private const int KeyVerdictLimit = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> KeyVerdicts = new(StringComparer.Ordinal);
    private static int _keyVerdictCount;

    public string Redacted(string label) => _rules.RedactionText ?? $"[REDACTED_{label}]";

    /// <summary>The text with every detected secret or PII redacted; the same instance when nothing matched.</summary>
    public string Sanitize(string text)
    {
        var rules = _rules;
        if (string.IsNullOrEmpty(text) || (!MayContainSecret(text, rules.RedactIps) && rules.Custom.Length == 0))
        {
            return text;
        }

        try
        {
            return SanitizeCore(text, rules);
        }
        catch (RegexMatchTimeoutException)
        {
            // Text crafted to make the scan slow is not scanned: it is withheld whole rather than risk a leak.
            return Redacted("UNSCANNABLE");
        }
    }

    private static string SanitizeCore(string text, Rules rules)
    {
        var result = RedactEmails(text, rules);

        result = Apply(Detector(), result, rules);
        if (rules.RedactIps)
        {
            result = Apply(IpDetector(), result, rules);
        }

        foreach (var (name, regex) in rules.Custom)
        {
            result = regex.Replace(result, rules.RedactionText ?? $"[REDACTED_{name}]");
        }

        return result;
    }

    /// <summary>
    /// E-mail addresses, found from each '@' outwards (the same shape as a local part
    /// <c>[A-Za-z0-9._%+-]+</c> and a domain <c>label(.label)*.tld</c>): much faster than a regex whose first
    /// character could be almost any letter.
    /// </summary>
    private static string RedactEmails(string text, Rules rules)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return text;
        }

        StringBuilder? output = null;
        var last = 0;
        while (at >= 0)
        {
            var start = at;
            while (start > last && IsLocalChar(text[start - 1]))
            {
                start--;
            }

            var end = EmailDomainEnd(text, at + 1);
            if (start < at && end > 0 && (start == 0 || !(char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '_' or '.' or '+' or '-')))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, last, start - last).Append(rules.RedactionText ?? "[REDACTED_EMAIL]");
                last = end;
                at = text.IndexOf('@', end);
            }
            else
            {
                at = text.IndexOf('@', at + 1);
            }
        }

        return output is null ? text : output.Append(text, last, text.Length - last).ToString();
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-';

    /// <summary>End (exclusive) of <c>label(.label)*.tld</c> starting at <paramref name="from"/>, or -1.</summary>
    private static int EmailDomainEnd(string text, int from)
    {
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '.'))
        {
            end++;
        }

        // The address ends after the right-most all-letter label of 2+ that is followed by no word character.
        for (var labelEnd = end; labelEnd > from; )
        {
            var dot = text.LastIndexOf('.', labelEnd - 1, labelEnd - from);
            if (dot <= from)
            {
                return -1;
            }

            var tld = text.AsSpan(dot + 1, labelEnd - dot - 1);
            var next = labelEnd < text.Length ? text[labelEnd] : ' ';
            if (tld.Length >= 2 && !tld.ContainsAnyExcept(LetterChars) && !(char.IsAsciiLetterOrDigit(next) || next == '_')
                && !text.AsSpan(from, dot - from).Contains("..", StringComparison.Ordinal) && text[from] != '.' && text[from] != '-')
            {
                return labelEnd;
            }

            labelEnd = dot;
        }

        return -1;
    }

    private static readonly SearchValues<char> LetterChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static string Apply(Regex detector, string text, Rules rules)
    {
        StringBuilder? output = null;
        var last = 0;
        foreach (var match in detector.EnumerateMatches(text))
        {
            var value = text.AsSpan(match.Index, match.Length);
            var replacement = Replacement(value, rules);
            if (replacement is null)
            {
                continue;
            }

            output ??= new StringBuilder(text.Length);
            output.Append(text, last, match.Index - last).Append(replacement);
            last = match.Index + match.Length;
        }

        return output is null ? text : output.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>A JSON document with sensitive keys' values redacted at any depth and every string sanitized.</summary>
    public string SanitizeJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                Write(document.RootElement, writer, redactAll: false);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
        catch (JsonException)
        {
            // Not JSON, or JSON cut short by truncation: still redact "sensitive_key": "value" pairs.
            var redactedPairs = JsonPair().Replace(json, m => IsSensitiveKey(m.Groups["key"].Value)
                ? $"\"{m.Groups["key"].Value}\":\"{Redacted("SECRET")}\""
                : m.Value);
            return Sanitize(redactedPairs);
        }
    }

    private void Write(JsonElement element, Utf8JsonWriter writer, bool redactAll)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSensitiveKey(property.Name) && property.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
                    {
                        writer.WriteStringValue(Redacted("SECRET"));
                    }
                    else
                    {
                        Write(property.Value, writer, redactAll || IsSensitiveKey(property.Name));
                    }
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(item, writer, redactAll);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(redactAll ? Redacted("SECRET") : Sanitize(element.GetString()!));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }

    /// <summary>
    /// A cheap, conservative pre-check: false only when no alternative of the detector could match, so most
    /// log values (model ids, counts, latencies, timestamps) never reach the regex.
    /// </summary>
    internal static bool MayContainSecret(ReadOnlySpan<char> text, bool ips)
    {
        if (text.ContainsAny(AtOrPlus) || text.ContainsAny(KeyPrefixes) || text.ContainsAny(SecretWords))
        {
            return true;
        }

        if (ips && text.IndexOfAny('.', ':') >= 0)
        {
            return true;
        }

        // Phone, SSN and card numbers are 9+ digits in one run of digits and short separator groups
        // ([ .-()], at most two in a row) that does not start inside a word or after a dash.
        var digits = 0;
        var separators = 0;
        var inRun = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (!inRun)
                {
                    var previous = i > 0 ? text[i - 1] : ' ';
                    if (char.IsAsciiLetterOrDigit(previous) || previous is '_' or '-')
                    {
                        continue;
                    }

                    inRun = true;
                    digits = 0;
                }

                digits++;
                separators = 0;
                if (digits >= 9)
                {
                    return true;
                }
            }
            else if (inRun && c is ' ' or '-' or '.' or '(' or ')' && ++separators <= 2)
            {
                continue;
            }
            else
            {
                inRun = c == '(' && (i == 0 || !char.IsAsciiLetterOrDigit(text[i - 1]));
                digits = 0;
                separators = inRun ? 1 : 0;
            }
        }

        return false;
    }

    private static string? Replacement(ReadOnlySpan<char> value, Rules rules)
    {
        var full = rules.RedactionText;
        switch (value)
        {
            case var _ when value.StartsWith("eyJ", StringComparison.Ordinal) && value.Count('.') == 2:
                return full ?? "[REDACTED_JWT]";
            case var _ when value.StartsWith("Bearer", StringComparison.OrdinalIgnoreCase) || value.StartsWith("bearer", StringComparison.Ordinal):
                var token = value[6..].TrimStart();
                return "Bearer " + (rules.Partial ? Partial(token) : full ?? "[REDACTED_TOKEN]");
            case var _ when value.StartsWith("sk-", StringComparison.Ordinal) || value.StartsWith("AIza", StringComparison.Ordinal)
                || value.StartsWith("AKIA", StringComparison.Ordinal) || value.StartsWith("ASIA", StringComparison.Ordinal):
                return rules.Partial ? Partial(value) : full ?? "[REDACTED_API_KEY]";
            case var _ when value.Contains('@'):
                return full ?? "[REDACTED_EMAIL]";
            case var _ when SecretKeyAssignment().IsMatch(value):
                var cut = value.Length - 40;
                return string.Concat(value[..cut], full ?? "[REDACTED_AWS_SECRET]");
            case var _ when Ssn().IsMatch(value):
                return full ?? "[REDACTED_SSN]";
            case var _ when IsCardCandidate(value):
                return Luhn(value) ? full ?? "[REDACTED_CREDIT_CARD]" : null;
            case var _ when value.Contains('.') && Ipv4().IsMatch(value) || value.Count(':') >= 2:
                return rules.RedactIps ? full ?? "[REDACTED_IP]" : null;
            default:
                return full ?? "[REDACTED_PHONE]";
        }
    }

    private static string Partial(ReadOnlySpan<char> secret) =>
        secret.Length <= 10 ? "[REDACTED]" : string.Concat(secret[..5], "...", secret[^3..]);

    private static bool IsCardCandidate(ReadOnlySpan<char> value)
    {
        var digits = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is not (' ' or '-'))
            {
                return false;
            }
        }

        return digits is >= 13 and <= 19;
    }

    private static bool Luhn(ReadOnlySpan<char> value)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = value.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                continue;
            }

            var d = value[i] - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    // Two detectors (e-mail addresses are found by hand, from each '@'), each anchored on a distinctive shape so ordinary numbers (versions, timestamps, ids, token
    // counts, UUIDs, SHAs) do not match, and each with a leading-character set narrow enough for the regex
    // engine's vectorized search: secrets and numbers, and IP addresses
    // (only when enabled).
    [GeneratedRegex("""
        eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}
        |(?i:bearer)\s+[A-Za-z0-9\-._~+/]{8,}=*
        |sk-ant-[A-Za-z0-9_-]{16,}
        |sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}
        |(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])
        |AIza[0-9A-Za-z_-]{35}
        |(?i:aws_secret_access_key|aws_secret_key|secret_access_key)["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}
        |(?<![\w-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\w-])
        |(?<![\w.-])(?:\d[ -]?){12,18}\d(?![\w.-])
        |(?<![\w+])\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){2,6}(?![\w-])
        |(?<![\w-])(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 250)]
    private static partial Regex Detector();

    [GeneratedRegex("""
        (?<![\w.:])(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}(?![\w.])
        |(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![\w:])
        |(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}:?){1,6}(?![\w:])
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 250)]
    private static partial Regex IpDetector();

    [GeneratedRegex(@"""(?<key>[^""\\]{1,64})""\s*:\s*""(?:[^""\\]|\\.)*(?:""|$)", RegexOptions.CultureInvariant)]
    private static partial Regex JsonPair();

    [GeneratedRegex(@"^(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ssn();

    [GeneratedRegex(@"^(?:\d{1,3}\.){3}\d{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"^(?i:aws_secret_access_key|aws_secret_key|secret_access_key)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretKeyAssignment();

    private sealed record Rules(bool Partial, bool RedactIps, string? RedactionText, (string Name, Regex Regex)[] Custom);
}
