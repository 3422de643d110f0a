using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Send.ServiceDefaults.Errors;

/// <summary>
/// Turns a request body that cannot be read (malformed JSON, a string where a number belongs)
/// into a 400 problem naming where it broke, instead of ASP.NET's bare 400 without a reason.
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var json = badRequest.InnerException as JsonException;
        var field = json?.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";
        var detail = json is null
            ? badRequest.Message
            : $"The request body is not valid JSON for this endpoint at '{field}' (line {json.LineNumber + 1}).";

        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = badRequest.StatusCode,
                Title = "The request body could not be read.",
                Detail = detail,
                Extensions =
                {
                    ["name"] = ProblemNames.ValidationError,
                    ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
                },
            },
        });
    }
}
