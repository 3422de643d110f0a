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

    // After sent, from provider events (Resend's event names without "email.").
    public const string DeliveryDelayed = "delivery_delayed";
    public const string Delivered = "delivered";
    public const string Bounced = "bounced";
    public const string Complained = "complained";
    public const string Opened = "opened";
    public const string Clicked = "clicked";

    /// <summary>A timeline step only: recipients left out because they are on the suppression list.</summary>
    public const string Suppressed = "suppressed";

    /// <summary>A timeline step only: one provider failed and the next was tried (or the email will be retried).</summary>
    public const string AttemptFailed = "attempt_failed";
}
