using Send.Contracts.Events;
using Send.EmailService.Model;

namespace Send.EmailService.Feedback;

/// <summary>
/// What a provider event makes of an email's <c>last_event</c>. Events arrive out of order (a
/// late <c>delivered</c> after an <c>opened</c>), so an event replaces the current one only if
/// it is at least as far along: sent, delayed, delivered, opened, clicked, then the outcomes
/// that end the story (bounced, failed, complained).
/// </summary>
public static class LastEvents
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        [EmailStatus.Sent] = 1,
        [EmailStatus.DeliveryDelayed] = 2,
        [EmailStatus.Delivered] = 3,
        [EmailStatus.Opened] = 4,
        [EmailStatus.Clicked] = 5,
        [EmailStatus.Bounced] = 6,
        [EmailStatus.Failed] = 6,
        [EmailStatus.Complained] = 7,
    };

    /// <summary>The email status (and public event, with <c>email.</c>) of a provider event kind.</summary>
    public static string StatusOf(string kind) => kind switch
    {
        ProviderEventKinds.Delivered => EmailStatus.Delivered,
        ProviderEventKinds.Bounced => EmailStatus.Bounced,
        ProviderEventKinds.Complained => EmailStatus.Complained,
        ProviderEventKinds.DeliveryDelayed => EmailStatus.DeliveryDelayed,
        ProviderEventKinds.Opened => EmailStatus.Opened,
        ProviderEventKinds.Clicked => EmailStatus.Clicked,
        ProviderEventKinds.Rejected or ProviderEventKinds.Failed => EmailStatus.Failed,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a provider event kind."),
    };

    /// <summary>True once the email has left Send (sent or any later event): provider events apply only then.</summary>
    public static bool HasLeft(string status) => Rank.ContainsKey(status);

    public static string Next(string current, string incoming) =>
        Rank.TryGetValue(current, out var now) && Rank.TryGetValue(incoming, out var next) && next < now ? current : incoming;
}
