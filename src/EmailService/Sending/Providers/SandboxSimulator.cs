using Send.Contracts.Events;
using Send.EmailService.Model;

namespace Send.EmailService.Sending.Providers;

/// <summary>
/// Test-key emails to the simulator addresses produce the events a real provider would report
/// later: <c>delivered@</c>, <c>bounced@</c> (a permanent bounce) and <c>complained@</c> at
/// <see cref="Domains"/> (Send's reserved <c>simulator.send.test</c>, and <c>resend.dev</c> so
/// tests written for Resend keep working), with an optional <c>+label</c>. Other recipients of a
/// test email produce nothing: nothing was delivered to them.
/// </summary>
public static class SandboxSimulator
{
    public static readonly IReadOnlySet<string> Domains = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "simulator.send.test", "resend.dev" };

    private static readonly Dictionary<string, string> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["delivered"] = "delivered", ["bounced"] = "bounced", ["complained"] = "complained",
    };

    public static bool IsSimulated(string address)
    {
        var separator = address.LastIndexOf('@');
        return separator > 0 && Domains.Contains(address[(separator + 1)..]);
    }

    public static IEnumerable<ProviderEventReceived> Events(Email email, string providerMessageId, DateTimeOffset at)
    {
        foreach (var recipient in email.Recipients)
        {
            var separator = recipient.LastIndexOf('@');
            if (separator < 0 || !Domains.Contains(recipient[(separator + 1)..]))
            {
                continue;
            }

            var local = recipient[..separator].Split('+')[0];
            if (!Kinds.TryGetValue(local, out var kind))
            {
                continue;
            }

            var details = new Dictionary<string, string> { ["simulated"] = "true" };
            if (kind == "bounced")
            {
                details["bounce_type"] = "Permanent";
                details["bounce_subtype"] = "General";
            }

            yield return new ProviderEventReceived("sandbox", providerMessageId, kind, recipient, at, details, email.Id, $"{providerMessageId}:{kind}:{recipient}");
        }
    }
}
