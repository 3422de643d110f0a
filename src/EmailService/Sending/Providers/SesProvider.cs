using Microsoft.Extensions.Options;
using Send.ProviderClients;

namespace Send.EmailService.Sending.Providers;

/// <summary><c>Providers:Ses</c>: SES v2, plus whether each organization sends as its own SES tenant.</summary>
public sealed class SesProviderOptions
{
    public const string Section = "Providers:Ses";

    public string Region { get; set; } = "us-east-1";
    public Uri? Endpoint { get; set; }
    public string? ConfigurationSetName { get; set; }

    /// <summary>Send as the SES tenant named after the organization (SES tenant isolation), when the account uses tenants.</summary>
    public bool TenantPerOrganization { get; set; }

    /// <summary>Where SES hosts Easy DKIM keys: <c>{token}.dkim.amazonses.com</c> in most regions.</summary>
    public string DkimCnameSuffix { get; set; } = "dkim.amazonses.com";

    /// <summary>Offer SES Easy DKIM (three CNAMEs) beside Send's own DKIM record for new domains.</summary>
    public bool EasyDkim { get; set; } = true;
}

/// <summary>
/// Amazon SES v2 with the message as Raw MIME (already DKIM-signed by Send), tagged with Send's
/// email and organization ids so SES events find their way back. Throttling, a paused or
/// suspended account, credential and server errors are transient (they fail over); a rejected
/// message is permanent.
/// </summary>
public sealed class SesProvider(SesV2Client client, IOptions<SesProviderOptions> options) : IEmailProvider
{
    private static readonly HashSet<string> PermanentErrors = new(StringComparer.Ordinal)
    {
        "MessageRejected", "MailFromDomainNotVerifiedException", "BadRequestException", "NotFoundException", "InvalidParameterValue",
    };

    public string Name => "ses";

    public async Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        using var raw = new MemoryStream();
        await email.Message.WriteToAsync(raw, cancellationToken);
        SesResult result;
        try
        {
            result = await client.SendRawAsync(new SesRawEmail(
                email.Message.From.Mailboxes.First().ToString(),
                [.. email.Recipients.Select(r => r.Address)],
                raw.ToArray(),
                new Dictionary<string, string> { ["send_email_id"] = email.EmailId, ["send_organization"] = email.OrganizationId },
                options.Value.ConfigurationSetName,
                options.Value.TenantPerOrganization ? email.OrganizationId : null), cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ProviderResult.Transient($"SES unreachable: {ex.Message}");
        }

        if (result.Succeeded)
        {
            return ProviderResult.Accepted(result.MessageId!);
        }

        var error = $"SES {(int)result.Status} {result.ErrorType}: {result.ErrorMessage}";
        return result.ErrorType is { } type && PermanentErrors.Contains(type) ? ProviderResult.Permanent(error) : ProviderResult.Transient(error);
    }
}
