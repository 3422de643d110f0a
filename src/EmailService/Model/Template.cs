namespace Send.EmailService.Model;

/// <summary>
/// A template and its latest content. Every change of content adds an immutable
/// <see cref="TemplateVersion"/>; sending uses <see cref="PublishedVersion"/> unless a version
/// is named. Archiving keeps every version, so nothing sent or scheduled loses its source.
/// </summary>
public sealed class Template
{
    public required string Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }

    /// <summary>A name the organization picks, unique among its live templates, usable wherever the id is.</summary>
    public string? Alias { get; set; }

    /// <summary><see cref="TemplateKinds"/>: a standard template, a layout around others, or a partial they include.</summary>
    public required string Kind { get; set; }
    public required string Status { get; set; }

    /// <summary>The latest version's number; its content is mirrored below.</summary>
    public int Version { get; set; }
    public int? PublishedVersion { get; set; }

    public string? Subject { get; set; }
    public string? Html { get; set; }
    public string? Text { get; set; }
    public string? LayoutId { get; set; }

    /// <summary>Declared default values, a JSON object.</summary>
    public string? Defaults { get; set; }
    public bool InlineCss { get; set; }
    public List<StoredVariable> Variables { get; set; } = [];

    /// <summary>Sending defaults, not content: a send that names no sender or reply-to uses these.</summary>
    public string? From { get; set; }
    public List<string> ReplyTo { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
}

/// <summary>One version of a template's content, never changed once written.</summary>
public sealed class TemplateVersion
{
    public required string TemplateId { get; set; }
    public int Version { get; set; }
    public string? Subject { get; set; }
    public string? Html { get; set; }
    public string? Text { get; set; }
    public string? LayoutId { get; set; }
    public string? Defaults { get; set; }
    public bool InlineCss { get; set; }
    public List<StoredVariable> Variables { get; set; } = [];

    /// <summary>The aliases of the partials this version includes.</summary>
    public List<string> Partials { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A variable the template reads: <c>user.name</c>, <c>items</c> (a list), <c>items[].title</c>.</summary>
public sealed record StoredVariable(string Name, string Type, bool Required);

public static class TemplateKinds
{
    public const string Standard = "standard";
    public const string Layout = "layout";
    public const string Partial = "partial";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { Standard, Layout, Partial };
}

public static class TemplateStatuses
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Archived = "archived";
}
