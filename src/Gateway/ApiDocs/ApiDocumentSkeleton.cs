using System.Text.Json.Nodes;

namespace Send.Gateway.ApiDocs;

/// <summary>The parts of the public document that belong to the API as a whole, not to a service.</summary>
internal static class ApiDocumentSkeleton
{
    public static JsonObject Create() => new()
    {
        ["openapi"] = "3.1.1",
        ["info"] = new JsonObject
        {
            ["title"] = "Send API",
            ["version"] = "v1",
            ["description"] = "Send: self-hosted transactional email. The wire format is a superset of Resend's: "
                + "point a Resend SDK at https://<your-host>/v1. Errors are RFC 9457 problem details that also "
                + "carry Resend's name, message and statusCode members.",
        },
        ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
        ["security"] = new JsonArray(new JsonObject { ["bearer"] = new JsonArray() }),
        ["paths"] = new JsonObject(),
        ["components"] = new JsonObject
        {
            ["schemas"] = new JsonObject(),
            ["securitySchemes"] = new JsonObject
            {
                ["bearer"] = new JsonObject
                {
                    ["type"] = "http",
                    ["scheme"] = "bearer",
                    ["description"] = "An API key: do_live_… or do_test_… (test keys never deliver).",
                },
            },
        },
    };
}
