namespace Send.ServiceDefaults.Errors;

/// <summary>
/// Resend's error names, carried in every problem-details body as <c>name</c> so clients written
/// for Resend (and its SDKs) understand Send's errors.
/// </summary>
public static class ProblemNames
{
    public const string ValidationError = "validation_error";
    public const string MissingRequiredField = "missing_required_field";
    public const string InvalidParameter = "invalid_parameter";
    public const string MissingApiKey = "missing_api_key";
    public const string InvalidApiKey = "invalid_api_key";
    public const string RestrictedApiKey = "restricted_api_key";
    public const string InvalidAccess = "invalid_access";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string Conflict = "conflict";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InternalServerError = "internal_server_error";
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>An Idempotency-Key reused with a different request body.</summary>
    public const string InvalidIdempotentRequest = "invalid_idempotent_request";

    /// <summary>An Idempotency-Key whose first request is still being processed.</summary>
    public const string ConcurrentIdempotentRequests = "concurrent_idempotent_requests";

    /// <summary>The from address's domain is not a verified domain of the organization (Resend answers 403 here too).</summary>
    public const string InvalidFromAddress = "invalid_from_address";

    /// <summary>The organization's reputation policy paused its sending (a bounce or complaint rate too high).</summary>
    public const string SendingPaused = "sending_paused";

    /// <summary>A request that reached a service without a valid identity from the Gateway.</summary>
    public const string MissingInternalIdentity = "missing_internal_identity";

    public static string ForStatus(int status) => status switch
    {
        400 or 422 => ValidationError,
        401 => MissingApiKey,
        403 => RestrictedApiKey,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        429 => RateLimitExceeded,
        503 => ServiceUnavailable,
        >= 500 => InternalServerError,
        _ => InvalidParameter,
    };
}
