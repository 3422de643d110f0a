namespace Send.EmailService.Model;

/// <summary>
/// An accepted email: what the caller asked to send, exactly as given, and how far it got.
/// Recipients found on the suppression list at accept time are not in <see cref="To"/>,
/// <see cref="Cc"/> or <see cref="Bcc"/>; they are listed in <see cref="Suppressed"/>.
/// </summary>
public sealed class Email
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public string? ApiKeyId { get; set; }

    /// <summary>Sent with a test key: recorded, never delivered.</summary>
    public bool Test { get; set; }

    public required string From { get; set; }
    public required string FromDomain { get; set; }
    public List<string> To { get; set; } = [];
    public List<string> Cc { get; set; } = [];
    public List<string> Bcc { get; set; } = [];
    public List<string> ReplyTo { get; set; } = [];
    public List<string> Suppressed { get; set; } = [];

    /// <summary>Every recipient's bare, lower-cased address (to, cc and bcc): what the recipient filter searches.</summary>
    public List<string> Recipients { get; set; } = [];
    public required string Subject { get; set; }
    public string? Html { get; set; }
    public string? Text { get; set; }
    public Dictionary<string, string> Headers { get; set; } = [];
    public List<EmailTag> Tags { get; set; } = [];
    public bool Priority { get; set; }

    public required string Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The Message-ID we give the message, on the sender's domain.</summary>
    public required string MessageId { get; set; }

    public string? Provider { get; set; }
    public string? ProviderMessageId { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Which worker holds the email while sending it, and until when (a crashed worker's lease runs out).</summary>
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeasedUntil { get; set; }

    public List<EmailAttachment> Attachments { get; set; } = [];

    /// <summary>The template and version the content was rendered from, when it was.</summary>
    public string? TemplateId { get; set; }
    public int? TemplateVersion { get; set; }
}

public sealed record EmailTag(string Name, string Value);
