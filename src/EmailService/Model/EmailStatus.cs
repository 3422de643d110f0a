namespace Send.EmailService.Model;

/// <summary>Where an email is in its life; <c>last_event</c> in the API.</summary>
public static class EmailStatus
{
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Canceled = "canceled";

    /// <summary>A timeline step only: one provider failed and the next was tried (or the email will be retried).</summary>
    public const string AttemptFailed = "attempt_failed";
}
