namespace Send.EventService.Ingestion.Smtp;

/// <summary><c>Providers:Smtp</c>, EventService's side: how the MTA that receives bounces proves it is that MTA.</summary>
public sealed class DsnOptions
{
    public const string Section = "Providers:Smtp";

    /// <summary>The header the MTA's pipe sends the secret in (the Gateway drops Authorization).</summary>
    public const string SecretHeader = "X-Send-Dsn-Secret";

    /// <summary>
    /// A DSN carries no signature anyone could check, and a forged bounce would suppress a real
    /// address, so the bounce mailbox's pipe must present this secret. Unset:
    /// <c>/providers/smtp/dsn</c> answers 404.
    /// </summary>
    public string? DsnSecret { get; set; }
}
