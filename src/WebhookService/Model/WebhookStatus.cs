namespace Send.WebhookService.Model;

public static class WebhookStatus
{
    public const string Enabled = "enabled";
    public const string Disabled = "disabled";

    public static readonly IReadOnlyList<string> All = [Enabled, Disabled];
}
