using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Send.ServiceDefaults.Errors;

/// <summary>Short constructors for the problem answers handlers return.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string name, string detail, string? title = null) =>
        TypedResults.Problem(
            statusCode: status,
            title: title ?? TitleFor(status),
            detail: detail,
            extensions: new Dictionary<string, object?> { ["name"] = name });

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, ProblemNames.NotFound, detail);

    /// <summary>A 422 naming each offending field, the shape Resend clients and RFC 9457 readers both parse.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null)
    {
        var message = detail ?? string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}")));
        var problem = new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request is invalid.",
            Detail = message,
        };
        problem.Extensions["name"] = ProblemNames.ValidationError;
        return TypedResults.Problem(problem);
    }

    private static string TitleFor(int status) => status switch
    {
        400 => "Bad request.",
        401 => "Authentication required.",
        403 => "Forbidden.",
        404 => "Not found.",
        409 => "Conflict.",
        422 => "The request is invalid.",
        429 => "Too many requests.",
        503 => "Service unavailable.",
        _ => "Request failed.",
    };
}
