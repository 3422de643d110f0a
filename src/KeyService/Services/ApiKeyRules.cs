using System.Net;
using Send.BuildingBlocks;
using Send.KeyService.Apis;
using Send.KeyService.Model;
using Send.ServiceDefaults.Identity;

namespace Send.KeyService.Services;

/// <summary>
/// What a key may be given, checked field by field so one answer names every problem.
/// A key can never hand out more than it holds: permissions beyond the caller's, or a live key
/// made by a test key, are refused (otherwise a restricted key could mint a full one).
/// </summary>
public sealed class ApiKeyRules(TimeProvider clock)
{
    public const int MaxNameLength = 200;
    public const int MaxCidrs = 100;
    public static readonly IReadOnlyList<string> KnownServices = ["send", "sms", "voip"];

    private readonly Dictionary<string, string[]> _errors = [];

    public IDictionary<string, string[]> Errors => _errors;

    public bool IsValid => _errors.Count == 0;

    public string? Name(string? name, bool required)
    {
        if (name is null)
        {
            if (required)
            {
                Add("name", "Required.");
            }

            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > MaxNameLength || trimmed.Any(char.IsControl))
        {
            Add("name", $"Must be 1 to {MaxNameLength} printable characters.");
        }

        return trimmed;
    }

    /// <summary>Resolves <c>permission</c> (a preset) or <c>permissions</c> (explicit) to a list.</summary>
    public List<string>? Permissions(string? preset, IReadOnlyList<string>? explicitList, Caller caller, bool required)
    {
        if (preset is not null && explicitList is not null)
        {
            Add("permission", "Give either permission (a preset) or permissions (a list), not both.");
            return null;
        }

        List<string>? resolved = preset switch
        {
            null => explicitList?.Distinct(StringComparer.Ordinal).ToList(),
            Model.Permissions.FullAccessPreset => [.. Model.Permissions.All],
            Model.Permissions.SendingAccessPreset => [.. Model.Permissions.SendingAccess],
            _ => null,
        };
        if (preset is not null && resolved is null)
        {
            Add("permission", $"Must be '{Model.Permissions.FullAccessPreset}' or '{Model.Permissions.SendingAccessPreset}'.");
            return null;
        }

        if (resolved is null)
        {
            return required ? [.. Model.Permissions.All] : null;
        }

        var unknown = resolved.Where(p => !Model.Permissions.All.Contains(p)).ToList();
        if (resolved.Count == 0 || unknown.Count > 0)
        {
            Add("permissions", unknown.Count > 0 ? $"Unknown: {string.Join(", ", unknown)}." : "At least one permission is required.");
            return null;
        }

        var beyondCaller = resolved.Where(p => !caller.Permissions.Contains(p)).ToList();
        if (beyondCaller.Count > 0)
        {
            Add(preset is null ? "permissions" : "permission", $"The calling key does not hold {string.Join(", ", beyondCaller)}, so it cannot grant it.");
            return null;
        }

        return resolved;
    }

    public string Environment(string? environment, Caller caller)
    {
        var resolved = environment ?? caller.Environment ?? "live";
        if (resolved is not ("live" or "test"))
        {
            Add("environment", "Must be 'live' or 'test'.");
        }
        else if (resolved == "live" && caller.IsTest)
        {
            Add("environment", "A test key can only create test keys.");
        }

        return resolved;
    }

    public List<string> Services(IReadOnlyList<string>? services)
    {
        if (services is null)
        {
            return ["send"];
        }

        if (services.Count == 0 || services.Any(s => !KnownServices.Contains(s)))
        {
            Add("services", $"Must be a non-empty subset of: {string.Join(", ", KnownServices)}.");
        }

        return [.. services.Distinct(StringComparer.Ordinal)];
    }

    public void RateLimit(RateLimitSetting? rateLimit)
    {
        if (rateLimit is not null && (rateLimit.Requests is < 1 or > 1_000_000 || rateLimit.Period is < 1 or > 86_400))
        {
            Add("rate_limit", "requests must be 1 to 1,000,000 and period 1 to 86,400 seconds.");
        }
    }

    public List<string>? Cidrs(IReadOnlyList<string>? cidrs)
    {
        if (cidrs is null)
        {
            return null;
        }

        if (cidrs.Count > MaxCidrs)
        {
            Add("allowed_cidrs", $"At most {MaxCidrs} entries.");
            return null;
        }

        var normalized = new List<string>();
        foreach (var entry in cidrs)
        {
            if (IPNetwork.TryParse(entry, out var network))
            {
                normalized.Add(network.ToString());
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                normalized.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128).ToString());
            }
            else
            {
                Add("allowed_cidrs", $"'{entry}' is not an IP address or CIDR range.");
            }
        }

        return normalized;
    }

    public void DomainId(string? domainId)
    {
        if (domainId is not null && !Ids.HasPrefix(domainId, "dom"))
        {
            Add("domain_id", "Must be a domain id (dom_…).");
        }
    }

    public void ExpiresAt(DateTimeOffset? expiresAt)
    {
        if (expiresAt is { } at && at <= clock.GetUtcNow())
        {
            Add("expires_at", "Must be in the future.");
        }
    }

    public int GracePeriod(int? seconds)
    {
        const int day = 86_400;
        if (seconds is < 0 or > 7 * day)
        {
            Add("grace_period_seconds", "Must be 0 to 604,800 seconds (7 days).");
        }

        return seconds ?? day;
    }

    private void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
}
