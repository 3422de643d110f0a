using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Send.ServiceDefaults.Identity;

/// <summary>
/// Who is calling, as the Gateway established it: an API key of an organization, or another
/// Send service. Handlers take it as a parameter; it binds from the verified internal identity.
/// </summary>
public sealed record Caller
{
    public const string ApiKeyKind = "api_key";
    public const string ServiceKind = "service";

    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("org")] public string? OrganizationId { get; init; }
    [JsonPropertyName("key_id")] public string? KeyId { get; init; }
    [JsonPropertyName("key_prefix")] public string? KeyPrefix { get; init; }
    [JsonPropertyName("perms")] public IReadOnlyList<string> Permissions { get; init; } = [];
    [JsonPropertyName("env")] public string? Environment { get; init; }
    [JsonPropertyName("svc")] public string? Service { get; init; }

    /// <summary>When set, the key may only send from this domain (Resend's <c>domain_id</c>).</summary>
    [JsonPropertyName("domain")] public string? DomainId { get; init; }

    /// <summary>True for keys of the <c>test</c> environment: nothing they send is really delivered.</summary>
    [JsonIgnore] public bool IsTest => Environment == "test";

    [JsonIgnore] public bool IsService => Kind == ServiceKind;

    /// <summary>The organization, for handlers that only make sense for an API-key caller.</summary>
    [JsonIgnore]
    public string RequiredOrganizationId =>
        OrganizationId ?? throw new InvalidOperationException("This caller acts for no organization.");

    public static Caller ForService(string service) => new() { Kind = ServiceKind, Service = service };

    public static ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult(context.Features.Get<Caller>());
}
