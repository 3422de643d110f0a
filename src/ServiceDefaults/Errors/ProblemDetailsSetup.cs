using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Send.ServiceDefaults.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>
    /// RFC 9457 problem details that also carry Resend's members (<c>name</c>, <c>message</c>,
    /// <c>statusCode</c>), so both kinds of client read the same body.
    /// </summary>
    public static IServiceCollection AddSendProblemDetails(this IServiceCollection services)
    {
        // Minimal APIs then throw on unreadable bodies, so the handler can say what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        return services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            problem.Status = status;
            problem.Extensions.TryAdd("name", ProblemNames.ForStatus(status));
            problem.Extensions.TryAdd("message", problem.Detail ?? problem.Title ?? "Request failed.");
            problem.Extensions["statusCode"] = status;
        });
    }
}
