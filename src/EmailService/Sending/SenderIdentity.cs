using System.Collections.Concurrent;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Cryptography;
using Send.BuildingBlocks.Secrets;
using Send.EmailService.Data;
using Send.EmailService.Domains;
using Send.EmailService.Model;

namespace Send.EmailService.Sending;

/// <summary>
/// What authenticates a live email as its domain's: a DKIM signature with the domain's key
/// (relaxed/relaxed, rsa-sha256, d= the From domain) and a return path on the domain's
/// return-path subdomain, <c>bounces+{email id}@send.example.com</c>, so SPF aligns and a
/// bounce names the email it is about. Domain settings are cached for a minute and the
/// unsealed key for the life of the process (keyed by the sealed value, so a new key is a new entry).
/// </summary>
public sealed class SenderIdentity(SecretBox secrets, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private static readonly HeaderId[] SignedHeaders =
    [
        HeaderId.From, HeaderId.Sender, HeaderId.ReplyTo, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.To, HeaderId.Cc,
        HeaderId.MimeVersion, HeaderId.ContentType, HeaderId.ListUnsubscribe, HeaderId.ListUnsubscribePost,
    ];

    private readonly ConcurrentDictionary<(string Organization, string Domain), (DomainKey? Key, DateTimeOffset Until)> _domains = new();
    private readonly ConcurrentDictionary<string, DkimSigner> _signers = new(StringComparer.Ordinal);

    /// <summary>
    /// The signing key of each distinct sender domain among <paramref name="emails"/>, looked up
    /// one after another on <paramref name="db"/> (a DbContext serves one query at a time), so
    /// the messages can then be signed in parallel without touching the database.
    /// </summary>
    public async Task<IReadOnlyDictionary<(string Organization, string Domain), DomainKey?>> KeysAsync(
        EmailDbContext db, IEnumerable<Email> emails, CancellationToken cancellationToken)
    {
        var keys = new Dictionary<(string Organization, string Domain), DomainKey?>();
        foreach (var email in emails.Where(e => !e.Test))
        {
            var domain = (email.OrganizationId, email.FromDomain);
            if (!keys.ContainsKey(domain))
            {
                keys[domain] = await KeyAsync(db, domain, cancellationToken);
            }
        }

        return keys;
    }

    /// <summary>Signs <paramref name="message"/> and returns the envelope sender; without a domain key, the From address and no signature.</summary>
    public MailboxAddress Apply(Email email, MimeMessage message, IReadOnlyDictionary<(string Organization, string Domain), DomainKey?> keys)
    {
        if (email.Test || keys.GetValueOrDefault((email.OrganizationId, email.FromDomain)) is not { } key)
        {
            return MailboxAddress.Parse(email.From);
        }

        var signer = _signers.GetOrAdd(key.Sealed, sealedKey =>
        {
            var pem = secrets.Open(sealedKey, DomainsApi.DkimPurpose(key.DomainId));
            using var stream = new MemoryStream(Encoding.ASCII.GetBytes(pem));
            return new DkimSigner(stream, key.Domain, key.Selector, DkimSignatureAlgorithm.RsaSha256)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
        });

        // Signing fixes the bytes: encode for 7-bit transport first, so no relay re-encodes (and breaks) the body.
        message.Prepare(EncodingConstraint.SevenBit);
        signer.Sign(message, [.. SignedHeaders.Where(h => h == HeaderId.From || message.Headers.Contains(h))]);
        return new MailboxAddress(null, $"bounces+{email.Id}@{key.ReturnPath}.{key.Domain}");
    }

    private async Task<DomainKey?> KeyAsync(EmailDbContext db, (string Organization, string Domain) cacheKey, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_domains.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        var (organizationId, name) = cacheKey;
        var domain = await db.Domains.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.Name == name && d.DkimPrivateKeySealed != null)
            .Select(d => new { d.Id, d.Name, d.DkimSelector, d.DkimPrivateKeySealed, d.ReturnPathSubdomain })
            .FirstOrDefaultAsync(cancellationToken);
        var key = domain is null ? null : new DomainKey(domain.Id, domain.Name, domain.DkimSelector!, domain.DkimPrivateKeySealed!, domain.ReturnPathSubdomain);
        _domains[cacheKey] = (key, now + CacheFor);
        return key;
    }

    /// <summary>A sender domain's DKIM key, still sealed, and its return-path subdomain.</summary>
    public sealed record DomainKey(string DomainId, string Domain, string Selector, string Sealed, string ReturnPath);
}
