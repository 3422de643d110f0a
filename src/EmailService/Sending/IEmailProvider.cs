using MimeKit;

namespace Send.EmailService.Sending;

/// <summary>Where a message goes out: SMTP here; SES and Resend come with the providers issue.</summary>
public interface IEmailProvider
{
    string Name { get; }

    Task<ProviderResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken cancellationToken);
}

public enum ProviderOutcome
{
    Accepted,

    /// <summary>Worth trying again later: the server was unreachable, busy or answered 4xx.</summary>
    Transient,

    /// <summary>Will never succeed as it is (5xx): fail the email at once.</summary>
    Permanent,
}

public sealed record ProviderResult(ProviderOutcome Outcome, string? ProviderMessageId, string? Error)
{
    public static ProviderResult Accepted(string providerMessageId) => new(ProviderOutcome.Accepted, providerMessageId, null);

    public static ProviderResult Transient(string error) => new(ProviderOutcome.Transient, null, error);

    public static ProviderResult Permanent(string error) => new(ProviderOutcome.Permanent, null, error);
}
