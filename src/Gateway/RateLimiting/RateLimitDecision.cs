namespace Send.Gateway.RateLimiting;

/// <summary>The answer to "may this key make one more request now?", with what the headers report.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, int ResetSeconds, int RetryAfterSeconds);
