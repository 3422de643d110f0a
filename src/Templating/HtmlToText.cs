using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Send.Templating;

/// <summary>
/// A readable plain-text part from HTML, for templates without one: paragraphs and headings
/// on their own lines, list items with a dash, links as "text (url)", images by their alt
/// text; scripts, styles and the head dropped. Mail clients and spam filters both prefer a
/// multipart/alternative message with a real text part.
/// </summary>
public static class HtmlToText
{
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "pre", "hr", "address", "main", "nav", "aside", "center",
    };

    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "head", "script", "style", "title", "template", "noscript" };

    public static string Convert(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var text = new StringBuilder();
        Append(document.Body ?? (INode)document.DocumentElement, text, preformatted: false);
        return Tidy(text.ToString());
    }

    private static void Append(INode node, StringBuilder text, bool preformatted)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(preformatted ? t.Data : CollapseWhitespace(t.Data));
                    break;
                case IElement element when Skipped.Contains(element.LocalName):
                    break;
                case IElement element:
                    Element(element, text, preformatted);
                    break;
            }
        }
    }

    private static void Element(IElement element, StringBuilder text, bool preformatted)
    {
        switch (element.LocalName)
        {
            case "br":
                text.Append('\n');
                return;
            case "img":
                if (element.GetAttribute("alt") is { Length: > 0 } alt)
                {
                    text.Append(alt);
                }

                return;
            case "li":
                text.Append("\n- ");
                Append(element, text, preformatted);
                return;
            case "td" or "th":
                Append(element, text, preformatted);
                text.Append(' ');
                return;
            case "a":
                var before = text.Length;
                Append(element, text, preformatted);
                var label = text.ToString(before, text.Length - before).Trim();
                if (element.GetAttribute("href") is { Length: > 0 } href && !href.StartsWith('#') && href != label && !href.StartsWith("mailto:" + label, StringComparison.Ordinal))
                {
                    text.Append(" (").Append(href).Append(')');
                }

                return;
        }

        var block = Blocks.Contains(element.LocalName);
        if (block)
        {
            text.Append("\n\n");
        }

        Append(element, text, preformatted || element.LocalName == "pre");
        if (block)
        {
            text.Append("\n\n");
        }
    }

    private static string CollapseWhitespace(string value)
    {
        var result = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                result.Append(' ');
                space = false;
            }

            result.Append(c);
        }

        if (space)
        {
            result.Append(' ');
        }

        return result.ToString();
    }

    /// <summary>Trims every line and keeps at most one blank line between paragraphs.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim());
        var result = new StringBuilder();
        var blank = 0;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank++;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(blank > 0 ? "\n\n" : "\n");
            }

            result.Append(line);
            blank = 0;
        }

        return result.ToString();
    }
}
