using System.Globalization;
using System.Text.RegularExpressions;
using MimeKit;
using Send.EmailService.Model;

namespace Send.EmailService.Apis;

/// <summary>An email request that passed every check, decoded and normalized, not yet stored.</summary>
public sealed record AcceptedEmail(
    MailboxAddress From,
    IReadOnlyList<string> To,
    IReadOnlyList<string> Cc,
    IReadOnlyList<string> Bcc,
    IReadOnlyList<string> ReplyTo,
    string? Subject,
    string? Html,
    string? Text,
    Dictionary<string, string> Headers,
    IReadOnlyList<AcceptedAttachment> Attachments,
    List<EmailTag> Tags,
    DateTimeOffset? ScheduledAt,
    bool Priority,
    TemplateRequest? Template)
{
    public string FromDomain => From.Domain.ToLowerInvariant();

    public IEnumerable<string> AllRecipients => To.Concat(Cc).Concat(Bcc);
}

public sealed record AcceptedAttachment(string Filename, string ContentType, string? ContentId, byte[] Content);

/// <summary>
/// Checks an email request field by field, so one answer names every problem (as
/// <c>to[2]</c>, <c>attachments[0].content</c>…). Nothing here touches the database.
/// </summary>
/// <param name="remote">Attachments given by URL, fetched beforehand (<see cref="RemoteAttachments"/>).</param>
public sealed partial class EmailRules(TimeProvider clock, IReadOnlyDictionary<string, RemoteFile>? remote = null)
{
    public const int MaxRecipients = 50;
    public const long MaxTotalBytes = 40L * 1024 * 1024;
    public const int MaxHeaders = 50;
    public const int MaxTags = 50;
    public const int MaxAttachments = 100;
    public static readonly TimeSpan MaxScheduleAhead = TimeSpan.FromDays(30);

    /// <summary>Headers Send writes itself; letting a caller set them would forge or break the message.</summary>
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "from", "to", "cc", "bcc", "reply-to", "subject", "date", "message-id", "sender", "return-path",
        "mime-version", "content-type", "content-transfer-encoding", "content-disposition", "dkim-signature", "received",
    };

    private readonly Dictionary<string, List<string>> _errors = [];

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public bool IsValid => _errors.Count == 0;

    public AcceptedEmail? Check(SendEmailRequest request)
    {
        var from = Mailbox("from", request.From, required: true);
        var to = Addresses("to", request.To, required: true);
        var cc = Addresses("cc", request.Cc, required: false);
        var bcc = Addresses("bcc", request.Bcc, required: false);
        var replyTo = Addresses("reply_to", request.ReplyTo, required: false);
        if (to.Count + cc.Count + bcc.Count > MaxRecipients)
        {
            Add("to", $"At most {MaxRecipients} recipients in total across to, cc and bcc; this request has {to.Count + cc.Count + bcc.Count}.");
        }

        // With a template the subject may come from it; the intake checks once it has rendered.
        var subject = Subject(request.Subject, required: request.Template is null);
        if (request.Template is not null)
        {
            if (!string.IsNullOrEmpty(request.Html) || !string.IsNullOrEmpty(request.Text))
            {
                Add("template", "Give either a template or html/text, not both.");
            }

            if (string.IsNullOrWhiteSpace(request.Template.Id))
            {
                Add("template.id", "Required: the template's id or alias.");
            }

            if (request.Template.Version is < 1)
            {
                Add("template.version", "A version number starts at 1.");
            }
        }
        else if (string.IsNullOrEmpty(request.Html) && string.IsNullOrEmpty(request.Text))
        {
            Add("html", "Give html, text or both.");
        }

        var headers = Headers(request.Headers);
        var attachments = Attachments(request.Attachments);
        var tags = Tags(request.Tags);
        var scheduledAt = ScheduledAt(request.ScheduledAt);
        var priority = Priority(request.Priority);

        var total = (long)(request.Html?.Length ?? 0) + (request.Text?.Length ?? 0) + attachments.Sum(a => (long)a.Content.Length);
        if (total > MaxTotalBytes)
        {
            Add("attachments", $"The email is {total / (1024 * 1024)} MB; at most 40 MB including attachments.");
        }

        return IsValid
            ? new AcceptedEmail(from!, to, cc, bcc, replyTo, subject, NullIfEmpty(request.Html), NullIfEmpty(request.Text), headers, attachments, tags, scheduledAt, priority, request.Template)
            : null;
    }

    private MailboxAddress? Mailbox(string field, string? value, bool required)
    {
        if (value is null)
        {
            if (required)
            {
                Add(field, "Required.");
            }

            return null;
        }

        if (!EmailAddresses.TryParse(value, out var mailbox, out var problem))
        {
            Add(field, problem);
        }

        return mailbox;
    }

    private List<string> Addresses(string field, Recipients? value, bool required)
    {
        var addresses = new List<string>();
        if (value is null || value.Values.Count == 0)
        {
            if (required)
            {
                Add(field, "At least one address is required.");
            }

            return addresses;
        }

        for (var i = 0; i < value.Values.Count; i++)
        {
            var name = value.Values.Count == 1 ? field : $"{field}[{i}]";
            if (Mailbox(name, value.Values[i], required: true) is { } mailbox)
            {
                addresses.Add(mailbox.ToString());
            }
        }

        return addresses;
    }

    private string? Subject(string? subject, bool required)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            if (required)
            {
                Add("subject", "Required.");
            }

            return null;
        }
        else if (subject.Contains('\r', StringComparison.Ordinal) || subject.Contains('\n', StringComparison.Ordinal))
        {
            Add("subject", "Must be one line: no CR or LF.");
        }
        else if (subject.Length > 998)
        {
            Add("subject", "At most 998 characters.");
        }

        return subject;
    }

    private Dictionary<string, string> Headers(Dictionary<string, string>? headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (headers is null)
        {
            return result;
        }

        if (headers.Count > MaxHeaders)
        {
            Add("headers", $"At most {MaxHeaders} custom headers.");
        }

        foreach (var (name, value) in headers)
        {
            var field = $"headers.{name}";
            if (!HeaderName().IsMatch(name))
            {
                Add(field, "A header name is 1 to 76 printable ASCII characters without spaces or ':'.");
            }
            else if (ReservedHeaders.Contains(name))
            {
                Add(field, $"{name} is set by Send; use the request's own field for it.");
            }
            else if (value is null || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                Add(field, "A header value is one line: no CR or LF (header injection is refused).");
            }
            else if (value.Length > 998)
            {
                Add(field, "At most 998 characters.");
            }
            else
            {
                result[name] = value;
            }
        }

        return result;
    }

    private List<AcceptedAttachment> Attachments(List<AttachmentRequest>? attachments)
    {
        var result = new List<AcceptedAttachment>();
        if (attachments is null)
        {
            return result;
        }

        if (attachments.Count > MaxAttachments)
        {
            Add("attachments", $"At most {MaxAttachments} attachments.");
            return result;
        }

        for (var i = 0; i < attachments.Count; i++)
        {
            var field = $"attachments[{i}]";
            var attachment = attachments[i];
            if (attachment is null)
            {
                Add(field, "Must be an object.");
                continue;
            }

            var valid = true;
            if (string.IsNullOrWhiteSpace(attachment.Filename) || attachment.Filename.Length > 255 || attachment.Filename.Any(char.IsControl)
                || attachment.Filename.IndexOfAny(['/', '\\']) >= 0)
            {
                Add($"{field}.filename", "Required: 1 to 255 characters, no control characters or path separators.");
                valid = false;
            }

            byte[]? content = null;
            string? fetchedType = null;
            if (attachment.Path is not null && attachment.Content is not null)
            {
                Add($"{field}.path", "Give the file either as content (base64) or as path (a URL), not both.");
                valid = false;
            }
            else if (attachment.Path is not null)
            {
                var fetched = remote?.GetValueOrDefault(attachment.Path) ?? new RemoteFile(null, null, "Was not fetched.");
                if (fetched.Problem is { } problem)
                {
                    Add($"{field}.path", problem);
                    valid = false;
                }

                (content, fetchedType) = (fetched.Content, fetched.ContentType);
            }
            else if (attachment.Content is null)
            {
                Add($"{field}.content", "Required: the file, base64-encoded.");
                valid = false;
            }
            else
            {
                try
                {
                    content = Convert.FromBase64String(attachment.Content);
                }
                catch (FormatException)
                {
                    Add($"{field}.content", "Not valid base64.");
                    valid = false;
                }
            }

            // A server's generic answer says less than the file's name does.
            var contentType = attachment.ContentType
                ?? (fetchedType is not null and not "application/octet-stream" ? fetchedType : null)
                ?? (attachment.Filename is { } name ? MimeTypes.GetMimeType(name) : "application/octet-stream");
            if (!ContentType.TryParse(contentType, out var parsedType) || parsedType.MediaSubtype is null)
            {
                Add($"{field}.content_type", "Not a valid media type (like image/png).");
                valid = false;
            }

            if (attachment.ContentId is { } contentId && (contentId.Length is 0 or > 255 || contentId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>')))
            {
                Add($"{field}.content_id", "1 to 255 characters without spaces, control characters or angle brackets.");
                valid = false;
            }

            if (valid)
            {
                result.Add(new AcceptedAttachment(attachment.Filename!, contentType, attachment.ContentId, content!));
            }
        }

        return result;
    }

    private List<EmailTag> Tags(List<TagRequest>? tags)
    {
        var result = new List<EmailTag>();
        if (tags is null)
        {
            return result;
        }

        if (tags.Count > MaxTags)
        {
            Add("tags", $"At most {MaxTags} tags.");
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (tags[i] is not { Name: { } name, Value: { } value } || !TagText().IsMatch(name) || !TagText().IsMatch(value))
            {
                Add($"tags[{i}]", "A tag has a name and a value of 1 to 256 ASCII letters, digits, '_' or '-'.");
                continue;
            }

            result.Add(new EmailTag(name, value));
        }

        return result;
    }

    /// <summary>A new time for a scheduled email: the same rules as at send.</summary>
    public DateTimeOffset? CheckScheduledAt(string value) => ScheduledAt(value);

    private DateTimeOffset? ScheduledAt(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            || !value.Contains('T', StringComparison.Ordinal))
        {
            Add("scheduled_at", "An ISO 8601 date and time, like 2026-12-01T09:00:00Z.");
            return null;
        }

        var now = clock.GetUtcNow();
        if (at < now - TimeSpan.FromMinutes(1))
        {
            Add("scheduled_at", "Is in the past.");
        }
        else if (at > now + MaxScheduleAhead)
        {
            Add("scheduled_at", $"At most {MaxScheduleAhead.TotalDays:0} days ahead.");
        }

        // A time already reached is simply sent now.
        return at > now ? at : null;
    }

    private bool Priority(string? value)
    {
        switch (value)
        {
            case null or "normal":
                return false;
            case "high":
                return true;
            default:
                Add("priority", "Either normal or high.");
                return false;
        }
    }

    private void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    [GeneratedRegex("^[!-9;-~]{1,76}$")]
    private static partial Regex HeaderName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex TagText();
}
