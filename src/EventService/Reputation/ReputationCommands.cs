using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Messaging;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EventService.Data;
using Send.EventService.Model;

namespace Send.EventService.Reputation;

/// <summary>
/// The operator's hand on reputation, run against a deployed EventService as a one-off command
/// (<c>kubectl exec deploy/eventservice -- dotnet Send.EventService.dll reputation show org_…</c>):
/// <list type="bullet">
/// <item><c>reputation show &lt;org&gt;</c> prints the policy, the pause and recent findings as JSON.</item>
/// <item><c>reputation policy &lt;org&gt; standard|strict|none</c> sets the policy.</item>
/// <item><c>reputation reinstate &lt;org&gt; [note]</c> lifts a pause; findings then do not pause it again for <c>Reputation:ReinstateGrace</c>.</item>
/// </list>
/// Decisions go out through the outbox; the running service's relay publishes them.
/// </summary>
public static class ReputationCommands
{
    public const string Command = "reputation";

    public static async Task<bool> RunReputationCommandAsync(this WebApplication app, string[] args, TextWriter output)
    {
        if (args.Length < 3 || args[0] != Command)
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EventsDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow();
        var organizationId = args[2];
        switch (args[1])
        {
            case "show":
                var policy = await db.ReputationPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.OrganizationId == organizationId);
                var findings = await db.ReputationFindings.AsNoTracking().Where(f => f.OrganizationId == organizationId).OrderByDescending(f => f.CreatedAt).Take(20)
                    .Select(f => new { f.Id, f.Kind, f.Severity, f.Action, f.Description, f.CreatedAt }).ToListAsync();
                await output.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    organization_id = organizationId, policy = policy?.Policy ?? ReputationPolicy.Standard, paused = policy?.Paused ?? false,
                    paused_reason = policy?.PausedReason, reinstated_at = policy?.ReinstatedAt, findings,
                }));
                return true;
            case "policy" when args.Length == 4 && ReputationPolicy.All.Contains(args[3]):
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO reputation_policies (organization_id, policy, paused, updated_at) VALUES ({organizationId}, {args[3]}, false, {now})
                    ON CONFLICT (organization_id) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at
                    """);
                await output.WriteLineAsync($"{organizationId}: policy {args[3]}");
                return true;
            case "reinstate":
                var note = args.Length > 3 ? string.Join(' ', args[3..]) : "no note";
                var reinstated = await db.InTransactionAsync(async token =>
                {
                    var changed = await db.Database.ExecuteSqlInterpolatedAsync(
                        $"UPDATE reputation_policies SET paused = false, reinstated_at = {now}, updated_at = {now} WHERE organization_id = {organizationId} AND paused",
                        token);
                    if (changed == 1)
                    {
                        db.Enqueue(Topics.OrganizationEvents, new OrganizationSendingChanged(organizationId, false, $"Reinstated by an operator ({note}).", now), now);
                        await db.SaveChangesAsync(token);
                    }

                    return changed == 1;
                }, CancellationToken.None);
                await output.WriteLineAsync(reinstated ? $"{organizationId}: reinstated" : $"{organizationId}: was not paused");
                return true;
            default:
                throw new ArgumentException("Usage: reputation show <org> | reputation policy <org> standard|strict|none | reputation reinstate <org> [note]");
        }
    }
}
