namespace Send.KeyService.Model;

public static class ApiKeyStatus
{
    public const string Active = "active";
    public const string Revoked = "revoked";
    public const string Expired = "expired";
}
