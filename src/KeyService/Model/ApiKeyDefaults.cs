namespace Send.KeyService.Model;

/// <summary>The seed's default quota for a new key: 1,000 requests a minute.</summary>
public static class ApiKeyDefaults
{
    public const int RateLimitRequests = 1000;
    public const int RateLimitPeriodSeconds = 60;
}
