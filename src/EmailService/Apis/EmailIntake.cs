using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.EmailService.Sending;
using Send.EmailService.Templates;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.EmailService.Apis;

/// <summary>Why one email of a request was refused: the problem's status, name, message and field errors.</summary>
public sealed record Refusal(int Status, string Name, string Message, IDictionary<string, string[]>? Errors = null)
{
    public ProblemHttpResult ToProblem() => Errors is null ? Problems.Of(Status, Name, Message) : Problems.Validation(Errors);
}

/// <summary>
/// Turns send requests into emails ready to store, for one email or a batch of a thousand
/// alike: the field checks, the sender's domain (a live key sends only from a verified domain
/// of its organization, a domain-restricted key only from its domain), and suppressed
/// recipients. What the checks need from the database is loaded once per request, not per email.
/// </summary>
public sealed class EmailIntake(
    EmailDbContext db, TemplateStore templates, TimeProvider clock, Caller caller, RemoteAttachments remoteAttachments, Feedback.UnsubscribeLinks unsubscribeLinks)
{
    private readonly Dictionary<(string Id, int? Version), (RenderSource? Source, IDictionary<string, string[]>? Refusal)> _templates = [];
    private IntakeFacts _facts = new(new Dictionary<string, (string, string)>(), new HashSet<string>(), null);
    private IReadOnlyDictionary<string, RemoteFile> _remote = new Dictionary<string, RemoteFile>();

    public async Task LoadAsync(IEnumerable<SendEmailRequest?> requests, CancellationToken cancellationToken)
    {
        var recipients = requests
            .SelectMany(r => (r?.To?.Values ?? []).Concat(r?.Cc?.Values ?? []).Concat(r?.Bcc?.Values ?? []))
            .Where(address => address is not null)
            .Select(BareAddress)
            .Distinct()
            .ToList();
        // A test key's sends are never paused (they deliver nothing), so its pause is not read.
        _facts = await IntakeLookups.LoadAsync(db, caller.RequiredOrganizationId, recipients, readPause: !caller.IsTest, clock.GetUtcNow(), cancellationToken);
        var urls = requests.SelectMany(r => r?.Attachments ?? []).Where(a => a?.Path is not null && a.Content is null).Select(a => a!.Path!).ToList();
        if (urls.Count > 0)
        {
            _remote = await remoteAttachments.FetchAsync(urls, cancellationToken);
        }

        foreach (var reference in requests.Select(r => r?.Template).OfType<TemplateRequest>().Where(t => !string.IsNullOrWhiteSpace(t.Id)).Select(t => (t.Id!, t.Version)).Distinct())
        {
            _templates[reference] = await LoadTemplateAsync(reference.Item1, reference.Version, cancellationToken);
        }
    }

    /// <summary>A batch naming one template a thousand times loads and compiles it once.</summary>
    private async Task<(RenderSource?, IDictionary<string, string[]>?)> LoadTemplateAsync(string idOrAlias, int? version, CancellationToken cancellationToken)
    {
        var template = await templates.FindAsync(caller.RequiredOrganizationId, idOrAlias, cancellationToken);
        string? problem = template switch
        {
            null => $"Your organization has no template {idOrAlias}.",
            { Status: TemplateStatuses.Archived } => $"Template {template.Id} is archived.",
            { Kind: not TemplateKinds.Standard } => $"Template {template.Id} is a {template.Kind}; send with a standard template.",
            _ => null,
        };
        return problem is not null
            ? (null, new Dictionary<string, string[]> { ["template.id"] = [problem] })
            : await TemplateRendering.LoadAsync(templates, template!, version, "template", cancellationToken);
    }

    /// <summary>The email to store, or why not. Call <see cref="LoadAsync"/> first.</summary>
    public (Email? Email, Refusal? Refusal) Prepare(SendEmailRequest? request)
    {
        // A paused organization's live sends are refused before anything else (test keys deliver nothing, so they go on).
        if (_facts.PauseReason is { } pauseReason)
        {
            return (null, new Refusal(StatusCodes.Status403Forbidden, ProblemNames.SendingPaused,
                $"Sending is paused for your organization: {pauseReason} Test keys still work; contact support to be reinstated."));
        }

        // A template may carry the sender and reply-to the request leaves out (as Resend's do).
        if (request?.Template?.Id is { } templateId && _templates.GetValueOrDefault((templateId, request.Template.Version)).Source?.Template is { } named)
        {
            request = request with
            {
                From = request.From ?? named.From,
                ReplyTo = request.ReplyTo ?? (named.ReplyTo.Count > 0 ? new Recipients(named.ReplyTo) : null),
            };
        }

        var rules = new EmailRules(clock, _remote);
        var accepted = request is null ? null : rules.Check(request);
        if (accepted is null)
        {
            var errors = request is null ? new Dictionary<string, string[]> { [""] = ["A JSON object is required."] } : rules.Errors;
            return (null, new Refusal(StatusCodes.Status422UnprocessableEntity, ProblemNames.ValidationError,
                string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))), errors));
        }

        if (CheckSender(accepted) is { } refused)
        {
            return (null, refused);
        }

        RenderSource? source = null;
        if (accepted.Template is { } template)
        {
            (accepted, source, var refusal) = RenderTemplate(accepted, template);
            if (refusal is not null)
            {
                return (null, refusal);
            }
        }

        var suppressed = accepted.AllRecipients.Select(BareAddress).Where(_facts.Suppressed.Contains).Distinct().ToList();
        var email = NewEmail(accepted, suppressed, clock.GetUtcNow());
        email.TemplateId = source?.Template.Id;
        email.TemplateVersion = source?.Version;
        if (email.To.Count + email.Cc.Count + email.Bcc.Count == 0)
        {
            var errors = new Dictionary<string, string[]> { ["to"] = ["Every recipient is on the organization's suppression list."] };
            return (null, new Refusal(StatusCodes.Status422UnprocessableEntity, ProblemNames.ValidationError, "to: " + errors["to"][0], errors));
        }

        if (request!.Unsubscribe == true)
        {
            var (headers, problem) = unsubscribeLinks.HeadersFor(email.Id, email.To.Count + email.Cc.Count + email.Bcc.Count, email.Headers);
            if (problem is not null)
            {
                return (null, Invalid(new Dictionary<string, string[]> { ["unsubscribe"] = [problem] }));
            }

            foreach (var (name, value) in headers!)
            {
                email.Headers[name] = value;
            }
        }

        return (email, null);
    }

    /// <summary>Stores emails, their first timeline step and their events in one transaction, with <paramref name="alsoInTransaction"/> when given.</summary>
    public Task StoreAsync(IReadOnlyList<Email> emails, Func<CancellationToken, Task>? alsoInTransaction, CancellationToken cancellationToken) =>
        StoreAsync(db, emails, EventsOf(emails), alsoInTransaction, cancellationToken);

    /// <inheritdoc cref="StoreAsync(IReadOnlyList{Email}, Func{CancellationToken, Task}?, CancellationToken)"/>
    /// <param name="events">The emails' <see cref="EventsOf">events</see>, made where the request's trace is current.</param>
    public static Task StoreAsync(
        EmailDbContext db, IReadOnlyList<Email> emails, IReadOnlyList<OutboxMessage> events, Func<CancellationToken, Task>? alsoInTransaction, CancellationToken cancellationToken) =>
        alsoInTransaction is null
            // The rows alone are one batch, which PostgreSQL runs as one transaction: no BEGIN or COMMIT to wait for.
            ? db.Database.CreateExecutionStrategy().ExecuteAsync(token => NewEmailRows.InsertAsync(db, emails, events, token), cancellationToken)
            : db.InTransactionAsync(async token =>
            {
                await NewEmailRows.InsertAsync(db, emails, events, token);
                await alsoInTransaction(token);
            }, cancellationToken);

    /// <summary>What accepting these emails announces: each one's acceptance and, when queued now, its queue event for the worker.</summary>
    public static List<OutboxMessage> EventsOf(IEnumerable<Email> emails) =>
        [.. emails.SelectMany(email => email.Status == EmailStatus.Queued
            ? LifecycleEvents.AcceptedMessages(email).Append(SendQueueEvents.Message(email, email.CreatedAt))
            : LifecycleEvents.AcceptedMessages(email))];

    /// <summary>Renders the template strictly (a missing variable refuses the email); the request's own subject wins over the template's.</summary>
    private (AcceptedEmail Email, RenderSource? Source, Refusal? Refusal) RenderTemplate(AcceptedEmail accepted, TemplateRequest template)
    {
        var (source, refusal) = _templates[(template.Id!, template.Version)];
        var outcome = source is null ? new RenderOutcome(null, refusal) : TemplateRendering.Render(source, template.Variables, strict: true, "template.variables");
        if (outcome.Refusal is { } errors)
        {
            return (accepted, source, Invalid(errors));
        }

        var rendered = outcome.Rendered!;
        var email = accepted with { Subject = accepted.Subject ?? rendered.Subject, Html = rendered.Html, Text = rendered.Text };
        if (string.IsNullOrWhiteSpace(email.Subject))
        {
            return (email, source, Invalid(new Dictionary<string, string[]> { ["subject"] = [$"Required: template {source!.Template.Id} has no subject, so give one."] }));
        }

        var size = (long)(email.Html?.Length ?? 0) + (email.Text?.Length ?? 0) + email.Attachments.Sum(a => (long)a.Content.Length);
        return size > EmailRules.MaxTotalBytes
            ? (email, source, Invalid(new Dictionary<string, string[]> { ["template.variables"] = ["The rendered email is over 40 MB including attachments."] }))
            : (email, source, null);
    }

    private static Refusal Invalid(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status422UnprocessableEntity, ProblemNames.ValidationError, string.Join(" ", errors.SelectMany(e => e.Value.Select(v => $"{e.Key}: {v}"))), errors);

    private Refusal? CheckSender(AcceptedEmail email)
    {
        var domain = _facts.Domains.TryGetValue(email.FromDomain, out var found) ? found : ((string Id, string Status)?)null;
        if (caller.DomainId is { } onlyDomain && domain?.Id != onlyDomain)
        {
            return new Refusal(StatusCodes.Status403Forbidden, ProblemNames.RestrictedApiKey,
                $"This API key may only send from domain {onlyDomain}; {email.FromDomain} is not it.");
        }

        if (!caller.IsTest && domain?.Status != SenderDomain.Verified)
        {
            return new Refusal(StatusCodes.Status403Forbidden, ProblemNames.InvalidFromAddress,
                $"The {email.FromDomain} domain is not verified for your organization. Add and verify it under /v1/domains, or use a test key.");
        }

        return null;
    }

    private Email NewEmail(AcceptedEmail accepted, List<string> suppressed, DateTimeOffset now)
    {
        var id = Ids.New("send");
        List<string> Keep(IEnumerable<string> addresses) => [.. addresses.Where(a => !suppressed.Contains(BareAddress(a)))];
        return new Email
        {
            Id = id,
            OrganizationId = caller.RequiredOrganizationId,
            ApiKeyId = caller.KeyId,
            Test = caller.IsTest,
            From = accepted.From.ToString(),
            FromDomain = accepted.FromDomain,
            To = Keep(accepted.To),
            Cc = Keep(accepted.Cc),
            Bcc = Keep(accepted.Bcc),
            ReplyTo = [.. accepted.ReplyTo],
            Suppressed = suppressed,
            Recipients = [.. Keep(accepted.AllRecipients).Select(BareAddress).Distinct()],
            Subject = accepted.Subject!,
            Html = accepted.Html,
            Text = accepted.Text,
            Headers = accepted.Headers,
            Tags = accepted.Tags,
            Priority = accepted.Priority,
            Status = accepted.ScheduledAt is null ? EmailStatus.Queued : EmailStatus.Scheduled,
            CreatedAt = now,
            ScheduledAt = accepted.ScheduledAt,
            MessageId = MimeUtils.GenerateMessageId(accepted.FromDomain),
            Attachments = [.. accepted.Attachments.Select(a => new EmailAttachment
            {
                EmailId = id, Filename = a.Filename, ContentType = a.ContentType, ContentId = a.ContentId, Content = a.Content,
            })],
        };
    }

    public static string BareAddress(string address) =>
        MailboxAddress.TryParse(address, out var mailbox) ? mailbox.Address.ToLowerInvariant() : address.ToLowerInvariant();
}
