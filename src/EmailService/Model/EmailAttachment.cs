namespace Send.EmailService.Model;

public sealed class EmailAttachment
{
    public long Id { get; set; }
    public required string EmailId { get; set; }
    public required string Filename { get; set; }
    public required string ContentType { get; set; }

    /// <summary>Set for inline images, referenced from the HTML as <c>cid:…</c>.</summary>
    public string? ContentId { get; set; }

    public required byte[] Content { get; set; }
}
