using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks;
using Send.BuildingBlocks.ApiKeys;
using Send.KeyService.Data;
using Send.KeyService.Model;

namespace Send.KeyService.Services;

/// <summary>
/// Makes sure the organization <c>default</c> and the key named by <c>SEND_BOOTSTRAP_API_KEY</c>
/// exist with full access: how a fresh install, a local run and automated checks get their
/// first key without a dashboard. Only the key's hash is stored, as for every key.
/// </summary>
public sealed class BootstrapKeyProvisioner(KeysDbContext db, IConfiguration configuration, TimeProvider clock, ILogger<BootstrapKeyProvisioner> logger)
{
    public const string OrganizationName = "default";
    public const string ConfigurationKey = "SEND_BOOTSTRAP_API_KEY";

    public async Task EnsureAsync(CancellationToken cancellationToken)
    {
        var token = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(token))
        {
            return;
        }

        if (!ApiKeyToken.TryParse(token, out var environment, out var prefix))
        {
            throw new InvalidOperationException(
                "SEND_BOOTSTRAP_API_KEY is not a valid key: expected do_live_ or do_test_ followed by 32 letters and digits.");
        }

        var hash = ApiKeyToken.Hash(token);
        if (await db.ApiKeys.AnyAsync(k => k.KeyHash == hash, cancellationToken))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Name == OrganizationName, cancellationToken);
        if (organization is null)
        {
            organization = new Organization { Id = Ids.New("org"), Name = OrganizationName, CreatedAt = now };
            db.Organizations.Add(organization);
        }

        var key = new ApiKey
        {
            Id = Ids.New("key"),
            OrganizationId = organization.Id,
            Name = "bootstrap",
            KeyPrefix = prefix,
            KeyHash = hash,
            Permissions = [.. Permissions.All],
            Services = ["send"],
            Environment = environment,
            RateLimitRequests = ApiKeyDefaults.RateLimitRequests,
            RateLimitPeriodSeconds = ApiKeyDefaults.RateLimitPeriodSeconds,
            CreatedAt = now,
        };
        db.ApiKeys.Add(key);
        db.AuditEntries.Add(new AuditEntry { OrganizationId = organization.Id, Action = "api_key.bootstrapped", ApiKeyId = key.Id, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Another replica provisioned the same key at the same moment: the goal is met.
            return;
        }

        logger.LogInformation("Bootstrap key {Prefix}… provisioned for organization {Organization}", prefix, organization.Id);
    }
}

public static class BootstrapKeyExtensions
{
    public static async Task EnsureBootstrapKeyAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BootstrapKeyProvisioner>().EnsureAsync(app.Lifetime.ApplicationStopping);
    }
}
