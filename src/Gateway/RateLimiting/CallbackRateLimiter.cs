using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Send.Gateway.Authentication;
using Send.ServiceDefaults.Errors;

namespace Send.Gateway.RateLimiting;

/// <summary>
/// Runs on unauthenticated routes instead of the key check and the key's quota: a fixed window
/// per client address (the connection's, as the key IP allowlist uses), per replica, and signs
/// the anonymous identity the service expects. The Dapr sidecar's per-IP guard still applies
/// in front of it where the Gateway runs with one.
/// </summary>
public sealed class CallbackRateLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly CallbackRateLimitOptions _options;

    public CallbackRateLimiter(IOptions<CallbackRateLimitOptions> options)
    {
        _options = options.Value;
        _limiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
            RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress ?? IPAddress.None, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = _options.PermitLimit,
                Window = _options.Window,
                QueueLimit = 0,
            }));
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        using var lease = await _limiter.AcquireAsync(context, 1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _options.Window;
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status429TooManyRequests, ProblemNames.RateLimitExceeded,
                    $"Too many callbacks from this address: {_options.PermitLimit} per {_options.Window.TotalSeconds:0.###} s. Retry after {seconds} s.")
                .ExecuteAsync(context);
            return;
        }

        context.Features.Set(AnonymousCaller.Instance);
        await next(context);
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();
}
