using MimeKit;
using Send.EmailService.Model;

namespace Send.EmailService.Sending;

/// <summary>
/// Turns a stored email into the MIME message that goes out: our Message-ID on the sender's
/// domain, the caller's custom headers, text and/or HTML with attachments and inline images.
/// Bcc recipients are envelope recipients only and never appear in a header.
/// </summary>
public static class MessageBuilder
{
    public static MimeMessage Build(Email email, DateTimeOffset now)
    {
        var message = new MimeMessage
        {
            MessageId = email.MessageId,
            Date = now,
            Subject = email.Subject,
        };
        message.From.Add(MailboxAddress.Parse(email.From));
        message.To.AddRange(email.To.Select(MailboxAddress.Parse));
        message.Cc.AddRange(email.Cc.Select(MailboxAddress.Parse));
        message.ReplyTo.AddRange(email.ReplyTo.Select(MailboxAddress.Parse));
        foreach (var (name, value) in email.Headers)
        {
            message.Headers.Add(name, value);
        }

        var body = new BodyBuilder { TextBody = email.Text, HtmlBody = email.Html };
        foreach (var attachment in email.Attachments)
        {
            var contentType = ContentType.Parse(attachment.ContentType);
            if (attachment.ContentId is { } contentId)
            {
                var inline = body.LinkedResources.Add(attachment.Filename, attachment.Content, contentType);
                inline.ContentId = contentId;
            }
            else
            {
                body.Attachments.Add(attachment.Filename, attachment.Content, contentType);
            }
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>Everyone the message is delivered to, Bcc included: the SMTP envelope.</summary>
    public static IReadOnlyList<MailboxAddress> Recipients(Email email) =>
        [.. email.To.Concat(email.Cc).Concat(email.Bcc).Select(MailboxAddress.Parse)];
}
