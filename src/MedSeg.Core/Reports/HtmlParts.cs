using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using MedSeg.Core.IO;

namespace MedSeg.Core.Reports;

/// <summary>Pieces every self-contained MedSeg page is built from, so they encode, embed and colour alike.</summary>
public static class HtmlParts
{
    /// <summary>MedSeg's version as pages print it (without the source revision).</summary>
    public static string Version { get; } =
        (typeof(HtmlParts).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?").Split('+')[0];

    /// <summary>Text made safe for HTML content and attribute values.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A PNG as a <c>data:</c> URI, so the page needs no other file.</summary>
    public static string DataUri(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>The CSS colour (<c>#rrggbb</c>) of the class at <paramref name="classIndex"/> (<see cref="OverlayImage.ClassColour"/>).</summary>
    public static string ClassColour(int classIndex)
    {
        (byte r, byte g, byte b) = OverlayImage.ClassColour(classIndex);
        return string.Create(CultureInfo.InvariantCulture, $"#{r:x2}{g:x2}{b:x2}");
    }

    /// <summary>Opens a page: doctype, title, the shared <see cref="ReportStyle.Css"/> plus <paramref name="extraCss"/>, and the dark header.</summary>
    /// <param name="html">Where the page is written.</param>
    /// <param name="title">Title (the header's heading too).</param>
    /// <param name="lines">Lines under the heading (plain text).</param>
    /// <param name="extraCss">Style only this kind of page needs.</param>
    public static void Begin(StringBuilder html, string title, IEnumerable<string> lines, string extraCss = "")
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(lines);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n") // no icon: a browser would otherwise ask the server for one
            .Append(CultureInfo.InvariantCulture, $"<title>{Encode(title)}</title>\n")
            .Append("<style>\n").Append(ReportStyle.Css).Append(extraCss).Append("</style>\n</head>\n<body>\n")
            .Append(CultureInfo.InvariantCulture, $"<header>\n<h1>{Encode(title)}</h1>\n");
        foreach (string line in lines)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(line)}</p>\n");
        }
        html.Append("</header>\n");
    }

    /// <summary>A headline figure card (<c>n/a</c> when undefined).</summary>
    public static void Card(StringBuilder html, string label, string value, bool main = false, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        string idAttribute = id is null ? "" : $" id=\"{Encode(id)}\"";
        html.Append(CultureInfo.InvariantCulture,
            $"<div class=\"card{(main ? " main" : "")}\"><div class=\"label\">{Encode(label)}</div><div class=\"value\"{idAttribute}>{Encode(value)}</div></div>\n");
    }

    /// <summary>Closes a page with a footer of <paramref name="lines"/> (HTML) and the MedSeg version.</summary>
    public static void End(StringBuilder html, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(lines);
        html.Append("<footer>\n");
        foreach (string line in lines)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{line}</p>\n");
        }
        html.Append(CultureInfo.InvariantCulture, $"<p>Written by MedSeg {Encode(Version)}.</p>\n</footer>\n</body>\n</html>\n");
    }
}
