namespace Gateway.Proxy.RateLimiting;

/// <summary>The result of taking from a limit: allowed or not, and what the client should be told.</summary>
public readonly record struct RateLimitDecision(bool Allowed, long Limit, long Remaining, TimeSpan ResetAfter, long WindowId);
