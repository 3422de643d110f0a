namespace Send.EventService.Ingestion.Resend;

/// <summary><c>Providers:Resend</c>, EventService's side: the signing secret of the webhook endpoint created in Resend.</summary>
public sealed class ResendOptions
{
    public const string Section = "Providers:Resend";

    /// <summary>
    /// The endpoint's signing secret as Resend shows it (<c>whsec_…</c>, the part after the prefix
    /// is base64). Unset: <c>/providers/resend</c> answers 404, so an unconfigured install believes
    /// no Resend webhook.
    /// </summary>
    public string? WebhookSecret { get; set; }
}
