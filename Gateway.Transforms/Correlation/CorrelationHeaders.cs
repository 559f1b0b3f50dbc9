namespace Gateway.Transforms.Correlation;

/// <summary>Header names of the guide's section 1 and the rule for trusting a client-sent id.</summary>
public static class CorrelationHeaders
{
    public const string CorrelationId = "X-Correlation-ID";
    public const string SessionId = "X-Session-ID";
    public const int MaxLength = 128;

    /// <summary>1–128 characters of <c>[A-Za-z0-9._:-]</c>: anything else (CR/LF, spaces, long values) is not trusted.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
