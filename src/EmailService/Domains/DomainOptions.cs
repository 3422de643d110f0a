namespace Send.EmailService.Domains;

/// <summary><c>Domains</c>: the records Send asks for and how it checks them.</summary>
public sealed class DomainOptions
{
    public const string Section = "Domains";

    /// <summary>DNS servers to verify against (<c>host</c> or <c>host:port</c>); empty means the machine's resolvers.</summary>
    public List<string> Resolvers { get; set; } = [];

    /// <summary>The DKIM selector of keys Send generates: the record is <c>{selector}._domainkey.{domain}</c>.</summary>
    public string DkimSelector { get; set; } = "send1";

    /// <summary>The MX host of the return-path subdomain, where bounces go; <c>{region}</c> is replaced.</summary>
    public string ReturnPathMx { get; set; } = "feedback-smtp.{region}.amazonses.com";

    /// <summary>What the return path's SPF record includes: the provider's sending servers.</summary>
    public string SpfInclude { get; set; } = "amazonses.com";

    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait before a pending domain is checked again; it doubles up to <see cref="MaxPendingBackoff"/>.</summary>
    public TimeSpan PendingBackoff { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxPendingBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often a verified domain's records are checked again, so a removed record is noticed.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromHours(6);
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public static readonly IReadOnlySet<string> Regions = new HashSet<string> { "us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1" };
}
