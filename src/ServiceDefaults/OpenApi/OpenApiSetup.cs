using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Send.ServiceDefaults.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";

    /// <summary>
    /// Each service describes only its public <c>/v1</c> routes; the Gateway merges these
    /// documents into the one the API's users read, so internal routes never show up there.
    /// </summary>
    public static IServiceCollection AddSendOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var path in document.Paths.Keys.Where(p => !p.StartsWith("/v1/", StringComparison.Ordinal)).ToList())
            {
                document.Paths.Remove(path);
            }

            return Task.CompletedTask;
        }));

    public static WebApplication MapSendOpenApi(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
