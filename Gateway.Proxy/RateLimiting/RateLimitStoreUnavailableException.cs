namespace Gateway.Proxy.RateLimiting;

/// <summary>The shared rate-limit store cannot be reached; the middleware fails open or closed as configured.</summary>
public sealed class RateLimitStoreUnavailableException : Exception
{
    public RateLimitStoreUnavailableException()
    {
    }

    public RateLimitStoreUnavailableException(string message)
        : base(message)
    {
    }

    public RateLimitStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
