using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Send.BuildingBlocks;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Paging;
using Send.BuildingBlocks.Secrets;
using Send.EmailService.Data;
using Send.EmailService.Model;
using Send.ServiceDefaults.Errors;
using Send.ServiceDefaults.Identity;

namespace Send.EmailService.Domains;

/// <summary><c>/v1/domains</c>: add a domain, publish the records shown, verify, send from it.</summary>
public static class DomainsApi
{
    public static IEndpointRouteBuilder MapDomainsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/v1/domains").WithTags("Domains");
        api.MapPost("/", Create).WithSummary("Add a domain: its DKIM key is generated and the records to publish returned");
        api.MapGet("/", List).WithSummary("List domains, newest first");
        api.MapGet("/{id}", Get).WithSummary("Retrieve a domain with its records and their status");
        api.MapPatch("/{id}", Update).WithSummary("Change tracking and TLS options");
        api.MapDelete("/{id}", Delete).WithSummary("Remove a domain");
        api.MapGet("/{id}/verify", Missing).WithSummary("The records still needed before the domain is verified");
        api.MapPost("/{id}/verify", Verify).WithSummary("Check the records now");
        return app;
    }

    public static async Task<Results<Created<DomainView>, ProblemHttpResult>> Create(
        CreateDomainRequest? request, Caller caller, EmailDbContext db, SecretBox secrets, SesEasyDkim sesDkim, IOptions<DomainOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DomainNames.TryNormalize(request?.Name, out var name, out var problem))
        {
            errors["name"] = [problem];
        }

        var region = request?.Region ?? "us-east-1";
        if (!DomainOptions.Regions.Contains(region))
        {
            errors["region"] = [$"One of {string.Join(", ", DomainOptions.Regions)}."];
        }

        var returnPath = request?.CustomReturnPath?.Trim().ToLowerInvariant() ?? "send";
        if (!DomainNames.IsLabel(returnPath))
        {
            errors["custom_return_path"] = ["One DNS label: letters, digits and inner hyphens, like send or bounces."];
        }

        CheckOptions(request?.Tls, request?.Capabilities, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        if (await db.Domains.AnyAsync(d => d.OrganizationId == organizationId && d.Name == name, cancellationToken))
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Your organization already has the domain {name}.");
        }

        // Another organization's verified domain is not claimed by adding it: sending as it would be impersonation.
        if (await db.Domains.AnyAsync(d => d.Name == name && d.OrganizationId != organizationId && d.Status == SenderDomain.Verified, cancellationToken))
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict,
                $"{name} is verified by another organization. If it is yours, remove it there first, or contact support to claim it.");
        }

        var now = clock.GetUtcNow();
        var domain = new SenderDomain
        {
            Id = Ids.New("dom"), OrganizationId = organizationId, Name = name, Status = SenderDomain.Pending, Region = region, ReturnPathSubdomain = returnPath,
            OpenTracking = request?.OpenTracking ?? false, ClickTracking = request?.ClickTracking ?? false, Tls = request?.Tls ?? "opportunistic",
            CreatedAt = now, NextCheckAt = now + options.Value.PendingBackoff,
        };
        var (publicKey, privateKey) = DkimKeys.Generate();
        domain.DkimPrivateKeySealed = secrets.Seal(privateKey, DkimPurpose(domain.Id));
        DomainRecords.Generate(domain, options.Value, publicKey);
        domain.Records = [.. domain.Records, .. await sesDkim.MissingRecordsAsync(domain, cancellationToken)];

        try
        {
            await db.InTransactionAsync(async token =>
            {
                db.Domains.Add(domain);
                DomainEvents.Announce(db, domain, DomainEvents.Created, now);
                await db.SaveChangesAsync(token);
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Of(StatusCodes.Status409Conflict, ProblemNames.Conflict, $"Your organization already has the domain {name}.");
        }

        return TypedResults.Created($"/v1/domains/{domain.Id}", DomainView.Of(domain));
    }

    public static async Task<Results<Ok<CursorPage<DomainSummaryView>>, ProblemHttpResult>> List(
        Caller caller, EmailDbContext db, int? limit, string? after, string? before, CancellationToken cancellationToken)
    {
        if (!CursorQuery.TryParse(limit, after, before, out var page, out var errors))
        {
            return Problems.Validation(errors);
        }

        var organizationId = caller.RequiredOrganizationId;
        return TypedResults.Ok(await db.Domains.AsNoTracking().Where(d => d.OrganizationId == organizationId)
            .ToCursorPageAsync(page, d => d.Id, DomainSummaryView.Of, cancellationToken));
    }

    public static async Task<Results<Ok<DomainView>, ProblemHttpResult>> Get(string id, Caller caller, EmailDbContext db, CancellationToken cancellationToken) =>
        await Find(db, caller, id).AsNoTracking().FirstOrDefaultAsync(cancellationToken) is { } domain
            ? TypedResults.Ok(DomainView.Of(domain))
            : Problems.NotFound($"Domain {id} not found.");

    public static async Task<Results<Ok<DomainReference>, ProblemHttpResult>> Update(
        string id, UpdateDomainRequest? request, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        CheckOptions(request?.Tls, request?.Capabilities, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var domain = await Find(db, caller, id).FirstOrDefaultAsync(cancellationToken);
        if (domain is null)
        {
            return Problems.NotFound($"Domain {id} not found.");
        }

        domain.OpenTracking = request?.OpenTracking ?? domain.OpenTracking;
        domain.ClickTracking = request?.ClickTracking ?? domain.ClickTracking;
        domain.Tls = request?.Tls ?? domain.Tls;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DomainReference("domain", domain.Id));
    }

    public static async Task<Results<Ok<DomainReference>, ProblemHttpResult>> Delete(
        string id, Caller caller, EmailDbContext db, SesEasyDkim sesDkim, TimeProvider clock, CancellationToken cancellationToken)
    {
        var domain = await Find(db, caller, id).FirstOrDefaultAsync(cancellationToken);
        if (domain is null)
        {
            return Problems.NotFound($"Domain {id} not found.");
        }

        var now = clock.GetUtcNow();
        await db.InTransactionAsync(async token =>
        {
            db.Domains.Remove(domain);
            DomainEvents.Announce(db, domain, DomainEvents.Deleted, now);
            await db.SaveChangesAsync(token);
        }, cancellationToken);
        await sesDkim.ForgetAsync(db, domain, cancellationToken);
        return TypedResults.Ok(new DomainReference("domain", domain.Id, Deleted: true));
    }

    public static async Task<Results<Ok<DomainVerificationView>, ProblemHttpResult>> Missing(string id, Caller caller, EmailDbContext db, CancellationToken cancellationToken)
    {
        var domain = await Find(db, caller, id).AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        return domain is null
            ? Problems.NotFound($"Domain {id} not found.")
            : TypedResults.Ok(new DomainVerificationView("domain_verification", domain.Id, domain.Name, domain.Status,
                [.. DomainRecords.StillNeeded(domain.Records).Select(r => DomainRecordView.Of(domain, r))]));
    }

    /// <summary>Checks every record now and answers with the domain as it stands after the check.</summary>
    public static async Task<Results<Ok<DomainView>, ProblemHttpResult>> Verify(string id, Caller caller, EmailDbContext db, DomainVerifier verifier, CancellationToken cancellationToken)
    {
        var domainId = await Find(db, caller, id).Select(d => d.Id).FirstOrDefaultAsync(cancellationToken);
        return domainId is null
            ? Problems.NotFound($"Domain {id} not found.")
            : TypedResults.Ok(DomainView.Of(await verifier.VerifyAsync(domainId, cancellationToken)));
    }

    public static string DkimPurpose(string domainId) => $"dkim:{domainId}";

    /// <summary>By id, or by name (what a person has at hand), within the caller's organization only.</summary>
    private static IQueryable<SenderDomain> Find(EmailDbContext db, Caller caller, string idOrName)
    {
        var organizationId = caller.RequiredOrganizationId;
        var name = DomainNames.TryNormalize(idOrName, out var ascii, out _) ? ascii : idOrName;
        return db.Domains.Where(d => d.OrganizationId == organizationId && (d.Id == idOrName || d.Name == name));
    }

    private static void CheckOptions(string? tls, DomainCapabilitiesRequest? capabilities, Dictionary<string, string[]> errors)
    {
        if (tls is not null and not ("opportunistic" or "enforced"))
        {
            errors["tls"] = ["Either opportunistic or enforced."];
        }

        if (capabilities?.Receiving == "enabled")
        {
            errors["capabilities.receiving"] = ["Receiving email is not supported; only sending."];
        }

        if (capabilities?.Sending == "disabled")
        {
            errors["capabilities.sending"] = ["A domain here exists to send; remove it instead of disabling sending."];
        }
    }
}
