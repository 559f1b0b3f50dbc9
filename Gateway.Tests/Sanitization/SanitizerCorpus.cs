using System.Globalization;
using System.Text;

namespace Gateway.Tests.Sanitization;

/// <summary>Generated positive (must be redacted) and negative (must stay) cases, deterministic.</summary>
internal static class SanitizerCorpus
{
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>(text, secret): the secret must not survive sanitizing the text.</summary>
    public static List<(string Text, string Secret)> Positives()
    {
        var r = new Random(20261126);
        var list = new List<(string, string)>();
        string[] users = ["john.doe", "a+b", "first_last123", "Jane.Smith", "ops-team", "x", "billing.dept", "user.name+tag"];
        string[] domains = ["example.com", "sub.example.co.uk", "company.io", "mail.EXAMPLE.org", "corp.internal.net"];
        for (var i = 0; i < 40; i++)
        {
            var email = users[i % users.Length] + (i / users.Length) + "@" + domains[i % domains.Length];
            list.Add(($"User {email} requested a summary", email));
        }

        string[] phones =
        [
            "+1 555 123 4567", "+44 20 7946 0958", "+49 30 1234 5678", "+33 1 23 45 67 89", "+1-555-123-4567", "(555) 123-4567",
            "555-123-4567", "555.123.4567", "+91 98765 43210", "+81 3-1234-5678", "+61 2 9876 5432", "+34 912 345 678",
        ];
        for (var i = 0; i < 36; i++)
        {
            var phone = phones[i % phones.Length].Replace("5", ((i % 7) + 2).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            list.Add(($"Call me at {phone} tomorrow", phone));
        }

        for (var i = 0; i < 15; i++)
        {
            var key = "sk-ant-api03-" + Random(r, Alnum + "-_", 40);
            list.Add(($"request with key {key}", key));
        }

        for (var i = 0; i < 15; i++)
        {
            var key = (i % 2 == 0 ? "sk-proj-" : "sk-") + Random(r, Alnum, 48);
            list.Add(($"OPENAI_API_KEY={key}", key));
        }

        for (var i = 0; i < 10; i++)
        {
            var id = (i % 2 == 0 ? "AKIA" : "ASIA") + Random(r, Upper, 16);
            list.Add(($"aws key id {id} used", id));
        }

        for (var i = 0; i < 10; i++)
        {
            var secret = Random(r, Alnum + "/+", 40);
            list.Add(($"aws_secret_access_key = {secret}", secret));
        }

        for (var i = 0; i < 10; i++)
        {
            var key = "AIza" + Random(r, Alnum + "-_", 35);
            list.Add(($"?key={key}&alt=sse", key));
        }

        for (var i = 0; i < 20; i++)
        {
            var token = Random(r, Alnum + "-._~", 32);
            list.Add(($"Authorization: Bearer {token}", token));
        }

        for (var i = 0; i < 20; i++)
        {
            var jwt = "eyJ" + Random(r, Alnum, 20) + "." + "eyJ" + Random(r, Alnum, 40) + "." + Random(r, Alnum + "-_", 43);
            list.Add(($"id_token {jwt} received", jwt));
        }

        for (var i = 0; i < 30; i++)
        {
            var digits = LuhnNumber(r, i % 3 == 0 ? "4" : i % 3 == 1 ? "51" : "37", i % 3 == 2 ? 15 : 16);
            var formatted = (i % 3) switch
            {
                0 => digits,
                1 => string.Join(' ', Chunks(digits, 4)),
                _ => string.Join('-', Chunks(digits, 4)),
            };
            list.Add(($"card {formatted} charged", formatted));
        }

        for (var i = 0; i < 20; i++)
        {
            var area = r.Next(1, 900);
            if (area == 666)
            {
                area = 667;
            }

            var ssn = $"{area:000}-{r.Next(1, 100):00}-{r.Next(1, 10000):0000}";
            list.Add(($"SSN {ssn} on file", ssn));
        }

        return list;
    }

    /// <summary>Texts that must come out unchanged.</summary>
    public static List<string> Negatives()
    {
        var r = new Random(42);
        var list = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            list.Add($"gateway version {i}.{r.Next(20)}.{r.Next(500)} started");
            list.Add($"dotnet {r.Next(6, 11)}.0.{r.Next(100, 500)}-preview.{r.Next(1, 8)}");
        }

        for (var i = 0; i < 25; i++)
        {
            list.Add($"order ORD-{r.Next(100, 999)}-{r.Next(100, 999)}-{r.Next(1000, 9999)} shipped");
            list.Add($"invoice INV-2026-{r.Next(0, 999999):000000}");
        }

        for (var i = 0; i < 25; i++)
        {
            var t = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(r.Next(0, 30_000_000));
            list.Add(t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            list.Add("at " + t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " took 12:30");
        }

        for (var i = 0; i < 25; i++)
        {
            list.Add("correlation_id " + new Guid(RandomBytes(r, 16)).ToString());
        }

        for (var i = 0; i < 25; i++)
        {
            list.Add($"reference {NonLuhnNumber(r, 16)}");
        }

        for (var i = 0; i < 20; i++)
        {
            list.Add("commit " + Convert.ToHexStringLower(RandomBytes(r, 20)));
        }

        string[] models = ["claude-sonnet-4-5-20250929", "gpt-4o-2024-08-06", "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "gemini-2.5-pro", "o4-mini-2025-04-16", "models/gemini-2.5-flash"];
        foreach (var model in models)
        {
            list.Add($"model {model} answered");
        }

        for (var i = 0; i < 20; i++)
        {
            list.Add($"input_tokens={r.Next(1, 200000)} output_tokens={r.Next(1, 8000)} cost_usd=0.{r.Next(1000, 99999)} latency_ms={r.Next(1, 9999)}.{r.Next(10, 99)}");
        }

        string[] others =
        [
            "10.0.0.1 forwarded", "client 192.168.1.1", "fe80::1 link-local", "HTTP/1.1 200 OK", "port 8585", "https://api.anthropic.com/v1/messages",
            "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "2026-11-26", "26/11/2026", "#ff00aa", "sk-short",
            "task-123", "retry after 30 s", "price $3.00 per 1M", "SKU 4006381333931", "x-api-key header removed", "1234",
        ];
        list.AddRange(others);
        return list;
    }

    private static string Random(Random r, string alphabet, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[r.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    private static byte[] RandomBytes(Random r, int length)
    {
        var bytes = new byte[length];
        r.NextBytes(bytes);
        return bytes;
    }

    private static IEnumerable<string> Chunks(string s, int size)
    {
        for (var i = 0; i < s.Length; i += size)
        {
            yield return s.Substring(i, Math.Min(size, s.Length - i));
        }
    }

    private static string LuhnNumber(Random r, string prefix, int length)
    {
        var body = prefix + Random(r, "0123456789", length - prefix.Length - 1);
        for (var check = 0; check < 10; check++)
        {
            if (LuhnValid(body + check))
            {
                return body + check;
            }
        }

        throw new InvalidOperationException();
    }

    private static string NonLuhnNumber(Random r, int length)
    {
        while (true)
        {
            var candidate = Random(r, "123456789", 1) + Random(r, "0123456789", length - 1);
            if (!LuhnValid(candidate))
            {
                return candidate;
            }
        }
    }

    private static bool LuhnValid(string digits)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt)
            {
                d = d * 2 > 9 ? (d * 2) - 9 : d * 2;
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }
}
