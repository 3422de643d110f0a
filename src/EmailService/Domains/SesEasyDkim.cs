using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending.Providers;
using Send.ProviderClients;

namespace Send.EmailService.Domains;

/// <summary>
/// With SES as a provider, each domain is also an SES identity with Easy DKIM: SES holds the key
/// and the domain publishes three CNAMEs to it, an alternative to Send's own DKIM TXT record.
/// SES being slow or down never blocks adding or checking a domain: the set is simply asked for
/// again at the next check. Without SES this does nothing.
/// </summary>
public sealed class SesEasyDkim(SesV2Client? ses, IOptions<SesProviderOptions> options, ILogger<SesEasyDkim> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    public bool Enabled => ses is not null && options.Value.EasyDkim;

    /// <summary>The SES DKIM records the domain lacks: none when it has them, SES is off, or SES did not answer.</summary>
    public async Task<IReadOnlyList<DomainRecord>> MissingRecordsAsync(SenderDomain domain, CancellationToken cancellationToken)
    {
        if (!Enabled || DomainRecords.HasSesDkim(domain))
        {
            return [];
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            var identity = await ses!.CreateDomainIdentityAsync(domain.Name, timeout.Token);
            return [.. DomainRecords.SesDkim(identity.DkimTokens, options.Value.DkimCnameSuffix)];
        }
        catch (Exception e) when (e is SesApiException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("SES did not give Easy DKIM tokens for {Domain} ({Error}); asking again at its next check", domain.Name, e.Message);
            return [];
        }
    }

    /// <summary>
    /// Deletes the SES identity of a domain no organization has any more (SES identities are per
    /// account, shared by every organization that adds the name). A failure is logged, not raised:
    /// the domain is already gone from Send, and an idle SES identity sends nothing.
    /// </summary>
    public async Task ForgetAsync(EmailDbContext db, SenderDomain domain, CancellationToken cancellationToken)
    {
        if (!Enabled || !DomainRecords.HasSesDkim(domain) || await db.Domains.AnyAsync(d => d.Name == domain.Name, cancellationToken))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        try
        {
            await ses!.DeleteIdentityAsync(domain.Name, timeout.Token);
        }
        catch (Exception e) when (e is SesApiException or HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("Could not delete the SES identity {Domain} ({Error}); delete it in SES by hand", domain.Name, e.Message);
        }
    }
}
