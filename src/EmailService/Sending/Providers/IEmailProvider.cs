using MimeKit;

namespace Send.EmailService.Sending.Providers;

/// <summary>One message on its way out: the built (and signed) MIME message and its envelope, with the ids providers tag it with.</summary>
public sealed record OutgoingEmail(string EmailId, string OrganizationId, MimeMessage Message, MailboxAddress Sender, IReadOnlyList<MailboxAddress> Recipients);

/// <summary>Where a message goes out: SMTP, SES, Resend, or the sandbox.</summary>
public interface IEmailProvider
{
    string Name { get; }

    Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken);
}

public enum ProviderOutcome
{
    Accepted,

    /// <summary>Worth trying again, here later or at the next provider now: unreachable, busy, throttled, paused, misconfigured.</summary>
    Transient,

    /// <summary>This message will never be accepted as it is (rejected content or address): fail the email at once, no failover.</summary>
    Permanent,
}

public sealed record ProviderResult(ProviderOutcome Outcome, string? ProviderMessageId, string? Error)
{
    public static ProviderResult Accepted(string providerMessageId) => new(ProviderOutcome.Accepted, providerMessageId, null);

    public static ProviderResult Transient(string error) => new(ProviderOutcome.Transient, null, error);

    public static ProviderResult Permanent(string error) => new(ProviderOutcome.Permanent, null, error);
}
