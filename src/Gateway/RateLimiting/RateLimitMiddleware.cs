using System.Globalization;
using Send.Gateway.Authentication;
using Send.ServiceDefaults.Errors;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// Applies the authenticated key's quota and reports it on every answer with the
/// <c>ratelimit-limit</c>, <c>ratelimit-remaining</c> and <c>ratelimit-reset</c> headers;
/// over quota it answers 429 <c>rate_limit_exceeded</c> with <c>retry-after</c>.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, QuotaReservations quotas, UsageRecorder usage)
{
    /// <summary>This Gateway fronts Send's email product; keys must include it in their services.</summary>
    public const string ServiceName = "send";

    public async Task InvokeAsync(HttpContext context)
    {
        var key = context.Features.Get<AuthenticatedCaller>()?.Key
            ?? throw new InvalidOperationException("Rate limiting runs after authentication.");
        var decision = await quotas.AcquireAsync(key.Id, key.RateLimitRequests, key.RateLimitPeriodSeconds);

        var headers = context.Response.Headers;
        headers["ratelimit-limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        headers["ratelimit-remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["ratelimit-reset"] = decision.ResetSeconds.ToString(CultureInfo.InvariantCulture);
        if (!decision.Allowed)
        {
            headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status429TooManyRequests, ProblemNames.RateLimitExceeded,
                    $"Too many requests: this key allows {decision.Limit} per {key.RateLimitPeriodSeconds} s. Retry after {decision.RetryAfterSeconds} s.")
                .ExecuteAsync(context);
            return;
        }

        usage.Record(key.Id, ServiceName);
        await next(context);
    }
}
