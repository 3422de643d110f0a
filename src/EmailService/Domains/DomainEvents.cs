using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Domains;

/// <summary>Adds a domain's lifecycle event to the outbox, in the caller's unit of work.</summary>
public static class DomainEvents
{
    public const string Created = "domain.created";
    public const string Verified = "domain.verified";
    public const string Updated = "domain.updated";
    public const string Deleted = "domain.deleted";

    public static void Announce(EmailDbContext db, SenderDomain domain, string name, DateTimeOffset now) =>
        db.Enqueue(Topics.DomainEvents, new DomainLifecycleEvent(domain.OrganizationId, domain.Id, name, now, domain.Name, domain.Status,
            [.. domain.Records.Select(r => new DomainRecordStatus(r.Record, r.Name, r.Type, r.Status))]), now);
}
