using Scalar.AspNetCore;
using Send.ServiceDefaults.OpenApi;

namespace Send.Gateway.ApiDocs;

public static class ApiDocsEndpoints
{
    /// <summary>The merged document at /openapi/v1.json and a browsable reference at /docs.</summary>
    public static WebApplication MapApiDocs(this WebApplication app)
    {
        app.MapGet(OpenApiSetup.DocumentPath, async (ApiDocumentAggregator aggregator, CancellationToken cancellationToken) =>
                TypedResults.Text((await aggregator.GetAsync(cancellationToken)).ToJsonString(), "application/json"))
            .ExcludeFromDescription();
        app.MapScalarApiReference("/docs", options => options.WithTitle("Send API"));
        return app;
    }
}
