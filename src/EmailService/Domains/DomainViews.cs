using System.Text.Json.Serialization;
using Send.EmailService.Model;

namespace Send.EmailService.Domains;

/// <summary>Resend's domain object with its records; each record also carries its full name, its DNS strings, whether it is required and why it failed.</summary>
public sealed record DomainView(
    [property: JsonPropertyName("object")] string Kind,
    string Id,
    string Name,
    string Status,
    string Region,
    DateTimeOffset CreatedAt,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? LastCheckedAt,
    bool OpenTracking,
    bool ClickTracking,
    string Tls,
    DomainCapabilitiesView Capabilities,
    IReadOnlyList<DomainRecordView> Records)
{
    public static DomainView Of(SenderDomain d) => new(
        "domain", d.Id, d.Name, d.Status, d.Region, d.CreatedAt, d.VerifiedAt, d.LastCheckedAt, d.OpenTracking, d.ClickTracking, d.Tls,
        new DomainCapabilitiesView("enabled", "disabled"), [.. d.Records.Select(r => DomainRecordView.Of(d, r))]);
}

public sealed record DomainCapabilitiesView(string Sending, string Receiving);

public sealed record DomainRecordView(
    string Record,
    string Name,
    string FullName,
    string Type,
    string Value,
    IReadOnlyList<string> ValueStrings,
    string Ttl,
    int? Priority,
    bool Required,
    string Status,
    string? Detail,
    string? AlternativeTo)
{
    public static DomainRecordView Of(SenderDomain domain, DomainRecord r) => new(
        r.Record, r.Name, DomainRecords.FullName(domain, r), r.Type, r.Value, r.Type == "TXT" ? DkimKeys.Split(r.Value) : [r.Value], "Auto",
        r.Priority, r.Required, r.Status, r.Detail, r.AlternativeTo);
}

/// <summary>A domain in a list: no records.</summary>
public sealed record DomainSummaryView(
    [property: JsonPropertyName("object")] string Kind,
    string Id,
    string Name,
    string Status,
    string Region,
    DateTimeOffset CreatedAt,
    DomainCapabilitiesView Capabilities)
{
    public static DomainSummaryView Of(SenderDomain d) => new("domain", d.Id, d.Name, d.Status, d.Region, d.CreatedAt, new DomainCapabilitiesView("enabled", "disabled"));
}

/// <summary>The records still needed before the domain is verified (the seed's <c>GET …/verify</c>).</summary>
public sealed record DomainVerificationView(
    [property: JsonPropertyName("object")] string Kind,
    string Id,
    string Name,
    string Status,
    IReadOnlyList<DomainRecordView> MissingRecords);

public sealed record DomainReference([property: JsonPropertyName("object")] string Kind, string Id, bool? Deleted = null);

public sealed record CreateDomainRequest(string? Name, string? Region, string? CustomReturnPath, bool? OpenTracking, bool? ClickTracking, string? Tls, DomainCapabilitiesRequest? Capabilities, string? TrackingSubdomain);

public sealed record UpdateDomainRequest(bool? OpenTracking, bool? ClickTracking, string? Tls, DomainCapabilitiesRequest? Capabilities, string? TrackingSubdomain);

public sealed record DomainCapabilitiesRequest(string? Sending, string? Receiving);
