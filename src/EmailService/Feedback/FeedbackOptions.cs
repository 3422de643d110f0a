namespace Send.EmailService.Feedback;

/// <summary>
/// <c>Suppressions:*</c>. A permanent bounce or a complaint suppresses an address at once; a
/// transient bounce only when it repeats: <see cref="SoftBounceLimit"/> of them, each within
/// <see cref="SoftBounceWindow"/> of the last, suppress it for <see cref="SoftBounceKeep"/>.
/// </summary>
public sealed class FeedbackOptions
{
    public const string Section = "Suppressions";

    public int SoftBounceLimit { get; set; } = 3;
    public TimeSpan SoftBounceWindow { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan SoftBounceKeep { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long a provider event may wait for its email to be recorded as sent before it is dead-lettered.</summary>
    public TimeSpan UnknownEmailPatience { get; set; } = TimeSpan.FromMinutes(10);
}
