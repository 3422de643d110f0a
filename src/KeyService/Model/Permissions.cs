namespace Send.KeyService.Model;

/// <summary>The scopes a key can hold, and Resend's two presets expressed in them.</summary>
public static class Permissions
{
    public const string EmailsSend = "emails:send";
    public const string EmailsRead = "emails:read";
    public const string TemplatesRead = "templates:read";
    public const string TemplatesWrite = "templates:write";
    public const string DomainsRead = "domains:read";
    public const string DomainsWrite = "domains:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string AnalyticsRead = "analytics:read";
    public const string SuppressionsRead = "suppressions:read";
    public const string SuppressionsWrite = "suppressions:write";
    public const string ApiKeysManage = "api_keys:manage";

    public const string FullAccessPreset = "full_access";
    public const string SendingAccessPreset = "sending_access";

    public static readonly IReadOnlyList<string> All =
    [
        EmailsSend, EmailsRead, TemplatesRead, TemplatesWrite, DomainsRead, DomainsWrite,
        WebhooksRead, WebhooksWrite, AnalyticsRead, SuppressionsRead, SuppressionsWrite, ApiKeysManage,
    ];

    public static readonly IReadOnlyList<string> SendingAccess = [EmailsSend];
}
