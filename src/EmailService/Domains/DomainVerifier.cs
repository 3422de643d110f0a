using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.EmailService.Data;
using Send.EmailService.Model;

namespace Send.EmailService.Domains;

/// <summary>
/// Checks a domain's records now and records the outcome. The domain is <c>verified</c> when
/// every required record is; <c>partially_verified</c> when some are; <c>pending</c> while none
/// are and it is new (72 h, as Resend waits), <c>failed</c> after that or once a verified domain
/// loses them all. A temporary DNS failure changes no domain's status. A status change is
/// published (<c>domain.verified</c> or <c>domain.updated</c>) exactly once, because the row is
/// locked while the outcome is written.
/// </summary>
public sealed class DomainVerifier(
    EmailDbContext db, DnsChecker dns, SesEasyDkim sesDkim, TimeProvider clock, IOptions<DomainOptions> options, ILogger<DomainVerifier> logger)
{
    public static readonly TimeSpan PendingWindow = TimeSpan.FromHours(72);

    public async Task<SenderDomain> VerifyAsync(string domainId, CancellationToken cancellationToken)
    {
        var snapshot = await db.Domains.AsNoTracking().SingleAsync(d => d.Id == domainId, cancellationToken);
        // SES was unreachable when the domain was added: its DKIM set is asked for again at each check.
        var records = snapshot.Records.Concat(await sesDkim.MissingRecordsAsync(snapshot, cancellationToken));
        var checkedRecords = await Task.WhenAll(records.Select(r => dns.CheckAsync(snapshot, r, cancellationToken)));
        var now = clock.GetUtcNow();

        return await db.InTransactionAsync(async token =>
        {
            var domain = await db.Domains.FromSql($"SELECT * FROM domains WHERE id = {domainId} FOR UPDATE").SingleOrDefaultAsync(token);
            if (domain is null)
            {
                return snapshot; // deleted while we looked
            }

            var previous = domain.Status;
            domain.Records = [.. checkedRecords];
            domain.Status = StatusOf(domain, checkedRecords, previous, now);
            domain.LastCheckedAt = now;
            domain.NextCheckAt = now + NextGap(domain, now);
            if (domain.Status == SenderDomain.Verified && previous != SenderDomain.Verified)
            {
                domain.VerifiedAt = now;
                DomainEvents.Announce(db, domain, DomainEvents.Verified, now);
            }
            else if (domain.Status != previous)
            {
                DomainEvents.Announce(db, domain, DomainEvents.Updated, now);
                logger.LogWarning("Domain {Domain} ({Id}) went from {Previous} to {Status}", domain.Name, domain.Id, previous, domain.Status);
            }

            await db.SaveChangesAsync(token);
            return domain;
        }, cancellationToken);
    }

    private static string StatusOf(SenderDomain domain, DomainRecord[] records, string previous, DateTimeOffset now)
    {
        var required = records.Where(r => r.Required).ToList();
        var unmet = required.Where(r => !DomainRecords.IsMet(r, records)).ToList();
        if (unmet.Count == 0)
        {
            return SenderDomain.Verified;
        }

        if (unmet.Any(r => r.Status == RecordStatuses.TemporaryFailure) && unmet.All(r => r.Status != RecordStatuses.Failed))
        {
            return previous;
        }

        if (unmet.Count < required.Count)
        {
            return SenderDomain.PartiallyVerified;
        }

        return domain.VerifiedAt is null && now - domain.CreatedAt < PendingWindow ? SenderDomain.Pending : SenderDomain.Failed;
    }

    /// <summary>Verified domains are re-checked periodically; others soon, then less and less often.</summary>
    private TimeSpan NextGap(SenderDomain domain, DateTimeOffset now)
    {
        var settings = options.Value;
        if (domain.Status == SenderDomain.Verified)
        {
            return settings.RecheckInterval;
        }

        var sinceCreated = now - domain.CreatedAt;
        var gap = TimeSpan.FromTicks(Math.Max(settings.PendingBackoff.Ticks, sinceCreated.Ticks / 4));
        return gap < settings.MaxPendingBackoff ? gap : settings.MaxPendingBackoff;
    }
}
