using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Paging;
using Send.EmailService.Apis;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.EmailService.Feedback;

/// <summary>
/// <c>/v1/suppressions</c>: the addresses an organization does not send to, added by bounces and
/// complaints or by hand, listed, looked up (by id or address) and removed. Expired entries are
/// neither listed nor enforced.
/// </summary>
public static class SuppressionsApi
{
    public const int MaxBatch = 100;

    private static readonly string[] AddressRequired = ["An address is required."];

    public static IEndpointRouteBuilder MapSuppressionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/suppressions").WithTags("Suppressions");
        api.MapGet("/", List).WithSummary("List suppressed addresses (cursor; filter by reason or address)");
        api.MapPost("/", Add).WithSummary("Suppress an address");
        api.MapPost("/batch/add", AddBatch).WithSummary($"Suppress up to {MaxBatch} addresses");
        api.MapPost("/batch/remove", RemoveBatch).WithSummary($"Lift up to {MaxBatch} suppressions");
        api.MapGet("/{idOrEmail}", Get).WithSummary("One suppression, by id or by address");
        api.MapDelete("/{idOrEmail}", Remove).WithSummary("Lift a suppression: the address may be sent to again");
        return app;
    }

    public static async Task<Results<Ok<CursorPage<SuppressionView>>, ProblemHttpResult>> List(
        Caller caller, EmailDbContext db, TimeProvider clock, int? limit, string? after, string? before, string? reason, string? email, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        var query = Live(db, caller, clock.GetUtcNow());
        if (reason is not null)
        {
            query = query.Where(s => s.Reason == reason);
        }

        if (email is not null)
        {
            var address = email.Trim().ToLowerInvariant();
            query = query.Where(s => s.Email == address);
        }

        return TypedResults.Ok(await query.ToCursorPageAsync(page, s => s.Id, SuppressionView.Of, cancellationToken));
    }

    public static async Task<Results<Created<SuppressionView>, ProblemHttpResult>> Add(
        AddSuppressionRequest? request, Caller caller, EmailDbContext db, SuppressionList list, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var entry = Check(request, "", now, errors);
        if (entry is null)
        {
            return Problems.Validation(errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        if (!await db.InTransactionAsync(token => list.SuppressAsync(organizationId, entry.Email, entry.Reason, null, entry.Detail, entry.KeepUntil, now, token), cancellationToken))
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"{entry.Email} is already suppressed. Remove it first to change how.");
        }

        var stored = await db.Suppressions.AsNoTracking().SingleAsync(s => s.OrganizationId == organizationId && s.Email == entry.Email, cancellationToken);
        return TypedResults.Created($"/v1/suppressions/{stored.Id}", SuppressionView.Of(stored));
    }

    /// <summary>All or nothing: one bad entry refuses the batch, naming it; addresses already suppressed are reported, not errors.</summary>
    public static async Task<Results<Ok<BatchAnswer>, ProblemHttpResult>> AddBatch(
        AddSuppressionsRequest? request, Caller caller, EmailDbContext db, SuppressionList list, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var items = request?.Suppressions ?? request?.Emails?.Select(e => new AddSuppressionRequest(e, null, null, null)).ToList();
        if (BatchSizeProblem(items?.Count, request?.Suppressions is null ? "emails" : "suppressions") is { } sizeProblem)
        {
            return sizeProblem;
        }

        var errors = new Dictionary<string, string[]>();
        var field = request!.Suppressions is null ? "emails" : "suppressions";
        var entries = items!.Select((item, index) => Check(item, request.Suppressions is null ? $"{field}[{index}]" : $"{field}[{index}].", now, errors)).ToList();
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        var added = await db.InTransactionAsync(async token =>
        {
            var outcomes = new List<(string Email, bool Added)>();
            foreach (var entry in entries.DistinctBy(e => e!.Email))
            {
                outcomes.Add((entry!.Email, await list.SuppressAsync(organizationId, entry.Email, entry.Reason, null, entry.Detail, entry.KeepUntil, now, token)));
            }

            return outcomes;
        }, cancellationToken);
        return TypedResults.Ok(new BatchAnswer("list", [.. added.Select(a => new BatchItem(a.Email, a.Added ? "added" : "already_suppressed"))]));
    }

    public static async Task<Results<Ok<BatchAnswer>, ProblemHttpResult>> RemoveBatch(
        RemoveSuppressionsRequest? request, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        if (BatchSizeProblem(request?.Emails?.Count, "emails") is { } sizeProblem)
        {
            return sizeProblem;
        }

        var addresses = request!.Emails!.Select(e => e?.Trim().ToLowerInvariant() ?? "").ToList();
        var blank = addresses.Select((a, i) => (a, i)).Where(x => x.a.Length == 0).Select(x => x.i).ToList();
        if (blank.Count > 0)
        {
            return Problems.Validation(blank.ToDictionary(i => $"emails[{i}]", _ => AddressRequired));
        }

        var organizationId = caller.RequiredOrganizationId;
        // One statement: what it deleted is what the answer reports, even with a concurrent add or remove.
        var removed = await db.Database.SqlQuery<string>(
            $"DELETE FROM suppressions WHERE organization_id = {organizationId} AND email = ANY({addresses.ToArray()}) RETURNING email AS \"Value\"").ToListAsync(cancellationToken);
        return TypedResults.Ok(new BatchAnswer("list", [.. addresses.Distinct().Select(a => new BatchItem(a, removed.Contains(a) ? "removed" : "not_suppressed"))]));
    }

    public static async Task<Results<Ok<SuppressionView>, ProblemHttpResult>> Get(string idOrEmail, Caller caller, EmailDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        await Find(Live(db, caller, clock.GetUtcNow()), idOrEmail).FirstOrDefaultAsync(cancellationToken) is { } found
            ? TypedResults.Ok(SuppressionView.Of(found))
            : Problems.NotFound($"{idOrEmail} is not on your organization's suppression list.");

    public static async Task<Results<Ok<SuppressionDeleted>, ProblemHttpResult>> Remove(string idOrEmail, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.RequiredOrganizationId;
        var found = await Find(db.Suppressions.Where(s => s.OrganizationId == organizationId), idOrEmail).Select(s => new { s.Id, s.Email }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problems.NotFound($"{idOrEmail} is not on your organization's suppression list.");
        }

        await db.Suppressions.Where(s => s.OrganizationId == organizationId && s.Email == found.Email).ExecuteDeleteAsync(cancellationToken);
        return TypedResults.Ok(new SuppressionDeleted("suppression", found.Id, found.Email, true));
    }

    private static IQueryable<Suppression> Live(EmailDbContext db, Caller caller, DateTimeOffset now)
    {
        var organizationId = caller.RequiredOrganizationId;
        return db.Suppressions.AsNoTracking().Where(s => s.OrganizationId == organizationId && (s.KeepUntil == null || s.KeepUntil > now));
    }

    private static IQueryable<Suppression> Find(IQueryable<Suppression> query, string idOrEmail)
    {
        if (Ids.HasPrefix(idOrEmail, "sup"))
        {
            return query.Where(s => s.Id == idOrEmail);
        }

        var address = Uri.UnescapeDataString(idOrEmail).Trim().ToLowerInvariant();
        return query.Where(s => s.Email == address);
    }

    private static ProblemHttpResult? BatchSizeProblem(int? count, string field) => count switch
    {
        null => Problems.Validation(new Dictionary<string, string[]> { [field] = ["An array of addresses is required."] }),
        0 => Problems.Validation(new Dictionary<string, string[]> { [field] = ["At least one address is required."] }),
        > MaxBatch => Problems.Validation(new Dictionary<string, string[]> { [field] = [$"At most {MaxBatch} addresses per request; this one has {count}."] }),
        _ => null,
    };

    /// <summary>The entry to store, or null with the reasons in <paramref name="errors"/> under <paramref name="prefix"/>.</summary>
    private static Entry? Check(AddSuppressionRequest? request, string prefix, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        // A bare-address batch names the element itself (emails[2]); an object names its field (suppressions[2].email).
        var emailField = prefix.EndsWith(']') ? prefix : prefix + "email";
        var before = errors.Count;
        MimeKit.MailboxAddress? mailbox = null;
        if (string.IsNullOrWhiteSpace(request?.Email))
        {
            errors[emailField] = ["An address is required."];
        }
        else if (!EmailAddresses.TryParse(request.Email, out mailbox, out var problem))
        {
            errors[emailField] = [problem];
        }

        var reason = request?.Reason ?? SuppressionReasons.Manual;
        if (!SuppressionReasons.Settable.Contains(reason))
        {
            errors[prefix + "reason"] = [$"One of {string.Join(", ", SuppressionReasons.Settable)}."];
        }

        if (request?.KeepUntil is { } keepUntil && keepUntil <= now)
        {
            errors[prefix + "keep_until"] = ["Must be in the future (leave it out to suppress for good)."];
        }

        if (request?.Detail is { Length: > 500 })
        {
            errors[prefix + "detail"] = ["At most 500 characters."];
        }

        return errors.Count > before || mailbox is null ? null : new Entry(mailbox.Address.ToLowerInvariant(), reason, request!.Detail, request.KeepUntil);
    }

    private sealed record Entry(string Email, string Reason, string? Detail, DateTimeOffset? KeepUntil);
}

public sealed record AddSuppressionRequest(string? Email, string? Reason, string? Detail, DateTimeOffset? KeepUntil);

public sealed record AddSuppressionsRequest(List<string>? Emails, List<AddSuppressionRequest>? Suppressions);

public sealed record RemoveSuppressionsRequest(List<string?>? Emails);

public sealed record SuppressionView(
    [property: JsonPropertyName("object")] string Kind, string Id, string Email, string Reason, string? SourceEmailId, string? Detail, DateTimeOffset? KeepUntil, DateTimeOffset CreatedAt)
{
    public static SuppressionView Of(Suppression s) => new("suppression", s.Id, s.Email, s.Reason, s.SourceEmailId, s.Detail, s.KeepUntil, s.CreatedAt);
}

public sealed record SuppressionDeleted([property: JsonPropertyName("object")] string Kind, string Id, string Email, bool Deleted);

public sealed record BatchItem(string Email, string Result);

public sealed record BatchAnswer([property: JsonPropertyName("object")] string Kind, IReadOnlyList<BatchItem> Data);
