using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using MedSeg.Core.Reports;

namespace MedSeg.Core.Viewer;

/// <summary>
/// Renders a <see cref="ViewerPage"/> as one self-contained HTML file: the shared report look, the page's data as a
/// JSON block whose slices are base64 PNGs, and the script that draws them (<c>viewer.js</c>, embedded in this
/// assembly). Nothing is fetched from anywhere; the page works from a file or from <see cref="ViewerServer"/>.
/// </summary>
public static class ViewerHtml
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static readonly Lazy<string> Script = new(() => Resource("viewer.js"));
    private static readonly Lazy<string> Style = new(() => Resource("viewer.css"));

    /// <summary>The page as HTML text.</summary>
    /// <param name="page">The page.</param>
    /// <param name="servedPlanes">Leave the slices out: the page fetches each case's from <c>case/INDEX.json</c>
    /// (<see cref="CasePlanes"/>) when it is opened, as <see cref="ViewerServer"/> serves them.</param>
    public static string Render(ViewerPage page, bool servedPlanes = false)
    {
        ArgumentNullException.ThrowIfNull(page);
        var html = new StringBuilder();
        HtmlParts.Begin(html, page.Title, page.Lines, Style.Value);
        html.Append("<main class=\"viewer\">\n<aside class=\"panel cases\">\n")
            .Append(CultureInfo.InvariantCulture, $"<h2>{HtmlParts.Encode(Capital(page.CaseKind))}s</h2>\n")
            .Append(page.Metric is null
                ? "<p class=\"note\">In the data's order.</p>\n"
                : $"<p class=\"note\">Lowest {HtmlParts.Encode(page.Metric)} score first.</p>\n")
            .Append("<ol id=\"case-list\"></ol>\n</aside>\n")
            .Append("<section class=\"stage\">\n<div class=\"toolbar\" id=\"toolbar\"></div>\n<div class=\"toggles\" id=\"toggles\"></div>\n")
            .Append("<div class=\"views\" id=\"views\"></div>\n")
            .Append("<p class=\"note\">Mouse wheel over an image, ↑/↓ or PageUp/PageDown: next or previous slice; Home/End: first or last; ")
            .Append("t / p: truth / prediction on or off. Filled: the class at the blend; outline: its edge.</p>\n</section>\n")
            .Append("<aside class=\"panel metrics\">\n<h2 id=\"case-title\"></h2>\n<div id=\"case-metrics\"></div>\n")
            .Append("<h3>This slice</h3>\n<div id=\"slice-metrics\"></div>\n</aside>\n</main>\n")
            .Append("<script type=\"application/json\" id=\"viewer-data\">").Append(JsonSerializer.Serialize(Data(page, servedPlanes), Json)).Append("</script>\n")
            .Append("<script>\n").Append(Script.Value).Append("</script>\n");
        HtmlParts.End(html, [
            "Slices are embedded as PNG (gray values split over red and green, so the page reads them exactly); " +
            "coronal and sagittal planes are built from the axial slices in the page, in voxel order (slice 1 at the top; not reoriented by a NIfTI affine).",
        ]);
        return html.ToString();
    }

    // The page's data as the script reads it; the JSON encoder escapes '<', so the block cannot close early.
    /// <summary>The slices of case <paramref name="index"/> of <paramref name="page"/> as JSON (images, truth, pred: base64 PNGs).</summary>
    public static string CasePlanes(ViewerPage page, int index)
    {
        ArgumentNullException.ThrowIfNull(page);
        ViewerPlanes planes = page.Cases[index].Planes;
        return JsonSerializer.Serialize(new { planes.Images, planes.Truth, planes.Pred }, Json);
    }

    private static object Data(ViewerPage page, bool servedPlanes) => new
    {
        Served = servedPlanes,
        page.Format,
        page.CaseKind,
        Masks = page.Masks == ViewerMasks.Flags ? "flags" : "labels",
        Classes = page.Classes.Select((name, k) => new { Name = name, Colour = HtmlParts.ClassColour(k) }),
        page.HasTruth,
        page.HasPredictions,
        page.Metric,
        page.DistanceUnit,
        page.Factor,
        Cases = page.Cases.Select(c => new
        {
            c.Id,
            c.Depth,
            c.Planes.Height,
            c.Planes.Width,
            c.FullHeight,
            c.FullWidth,
            c.Channels,
            c.Offset,
            c.Scale,
            c.Spacing,
            c.Window,
            c.SliceNames,
            c.Figures,
            c.ClassDice,
            SliceDice = c.Slices.Dice,
            SliceTruth = c.Slices.TruePixels,
            SlicePred = c.Slices.PredictedPixels,
            Images = servedPlanes ? null : c.Planes.Images,
            Truth = servedPlanes ? null : c.Planes.Truth,
            Pred = servedPlanes ? null : c.Planes.Pred,
        }),
    };

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"MedSeg.Core.Viewer.{name}")
            ?? throw new InvalidOperationException($"The resource {name} is missing from MedSeg.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
