namespace MedSeg.Core.Viewer;

/// <summary>Everything the slice viewer page shows, ready to render (<see cref="ViewerHtml"/>).</summary>
/// <param name="Title">The page's title.</param>
/// <param name="Lines">Lines under the title (what is shown, from where).</param>
/// <param name="Format">The data's layout.</param>
/// <param name="CaseKind">What a case is called.</param>
/// <param name="Classes">Class names after background.</param>
/// <param name="Masks">What mask values mean.</param>
/// <param name="HasTruth">Whether there are true masks.</param>
/// <param name="HasPredictions">Whether there are predicted masks.</param>
/// <param name="Metric">The metric of the case scores, or null without an evaluation.</param>
/// <param name="DistanceUnit">The unit of the Hausdorff figures, or null.</param>
/// <param name="Cases">The cases, lowest score first (by id without scores).</param>
/// <param name="Factor">How many times rows and columns were shrunk to keep the page under <paramref name="MaxBytes"/>.</param>
/// <param name="MaxBytes">The page's size cap.</param>
public sealed record ViewerPage(
    string Title, IReadOnlyList<string> Lines, string Format, string CaseKind, IReadOnlyList<string> Classes, ViewerMasks Masks,
    bool HasTruth, bool HasPredictions, string? Metric, string? DistanceUnit, IReadOnlyList<ViewerCasePage> Cases, int Factor, long MaxBytes);
