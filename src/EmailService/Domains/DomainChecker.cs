using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Data;
using Send.EmailService.Data;

namespace Send.EmailService.Domains;

/// <summary>
/// Checks domains whose time has come: pending ones until they verify, verified ones
/// periodically so that a removed or changed record is noticed (and announced). Replicas share
/// the work: each takes a few due domains with <c>FOR UPDATE SKIP LOCKED</c> and pushes their
/// next check ahead before looking them up, so a crash mid-check only delays a domain.
/// </summary>
public sealed class DomainChecker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DomainOptions> options, ILogger<DomainChecker> logger) : BackgroundService
{
    private const int BatchSize = 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CheckInterval, clock);
        do
        {
            try
            {
                while (await CheckDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Checking due domains failed; will try again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<int> CheckDueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EmailDbContext>();
        var now = clock.GetUtcNow();
        var claimUntil = now + TimeSpan.FromMinutes(2);
        var due = await db.InTransactionAsync(async token =>
        {
            var ids = await db.Database.SqlQuery<string>($"""
                SELECT id AS "Value" FROM domains WHERE next_check_at <= {now}
                ORDER BY next_check_at LIMIT {BatchSize} FOR UPDATE SKIP LOCKED
                """).ToListAsync(token);
            await db.Domains.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(set => set.SetProperty(d => d.NextCheckAt, claimUntil), token);
            return ids;
        }, cancellationToken);

        var verifier = scope.ServiceProvider.GetRequiredService<DomainVerifier>();
        foreach (var id in due)
        {
            await verifier.VerifyAsync(id, cancellationToken);
        }

        return due.Count;
    }
}
