using Send.KeyService.Data;
using Send.KeyService.Model;
using Send.ServiceDefaults.Identity;

namespace Send.KeyService.Services;

/// <summary>
/// Records a key lifecycle event in the same unit of work as the change itself, so the log
/// and the keys can never disagree.
/// </summary>
public static class AuditLog
{
    public static void Record(KeysDbContext db, HttpContext http, Caller caller, string action, string apiKeyId, DateTimeOffset at) =>
        db.AuditEntries.Add(new AuditEntry
        {
            OrganizationId = caller.RequiredOrganizationId,
            Action = action,
            ApiKeyId = apiKeyId,
            ActorKeyId = caller.KeyId,
            // The Gateway appends the client's address; services are only reachable through it.
            ActorIp = http.Request.Headers["X-Forwarded-For"].ToString().Split(',')[0].Trim() is { Length: > 0 } ip ? ip : null,
            CreatedAt = at,
        });
}
