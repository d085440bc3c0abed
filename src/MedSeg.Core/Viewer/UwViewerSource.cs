using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;

namespace MedSeg.Core.Viewer;

/// <summary>
/// A UW-Madison folder (train.csv + train/, or test/ alone) as viewer cases: one per case-day, its slices in order,
/// masks as class flags (the classes overlap). With a submission, the case-days it has rows for.
/// </summary>
public sealed class UwViewerSource : IViewerSource
{
    private readonly UwMadisonDataset _data;
    private readonly string? _predPath;
    private readonly Dictionary<string, string[]>? _predictions;
    private readonly Dictionary<string, UwCaseDay> _caseDays;

    /// <summary>Reads the dataset's names and labels and the submission, when given.</summary>
    /// <exception cref="MedSegException">The folder or submission is broken, or they do not belong together.</exception>
    public UwViewerSource(string dataPath, string? predPath)
    {
        if (predPath is not null && !File.Exists(predPath))
        {
            throw new MedSegException($"--pred {predPath} is not a file; predictions of UW-Madison data are a submission .csv (id,class,predicted).");
        }
        IReadOnlyList<SubmissionRow>? rows = predPath is null ? null : SubmissionCsv.Read(predPath);
        _data = UwMadisonDataset.Load(dataPath);
        if (!_data.HasLabels && rows is not null)
        {
            // Test data has no train.csv to name the classes: the submission names them, in order of first appearance.
            _data = UwMadisonDataset.Load(dataPath, rows.Select(r => r.ClassName).Distinct(StringComparer.Ordinal).ToArray());
        }
        _predPath = predPath;
        _predictions = rows is null ? null : SubmissionEvaluator.Index(rows, predPath!, _data);
        var shown = _data.CaseDays.Where(cd => _predictions is null || cd.Slices.Any(s => _predictions.ContainsKey(s.Id.ToString()))).ToArray();
        if (shown.Length == 0)
        {
            throw new MedSegException(_predictions is null
                ? $"--data {dataPath} holds no slices; pass a UW-Madison folder with train/ or test/ images."
                : $"--pred {predPath} has no row for any slice of {dataPath}; predict that dataset first.");
        }
        _caseDays = shown.ToDictionary(cd => cd.Id, StringComparer.Ordinal);
        CaseIds = shown.Select(cd => cd.Id).ToArray();
        if (Classes.Count > ViewerMaskValues.MaxFlagClasses)
        {
            throw new MedSegException(
                $"{dataPath} has {Classes.Count} classes but the viewer overlays at most {ViewerMaskValues.MaxFlagClasses} overlapping classes.");
        }
    }

    /// <inheritdoc />
    public string Format => "uwmgi";

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => _data.Classes;

    /// <inheritdoc />
    public ViewerMasks Masks => ViewerMasks.Flags;

    /// <inheritdoc />
    public string CaseKind => "case-day";

    /// <inheritdoc />
    public IReadOnlyList<string> CaseIds { get; }

    /// <inheritdoc />
    public bool HasTruth => _data.HasLabels;

    /// <inheritdoc />
    public bool HasPredictions => _predictions is not null;

    /// <inheritdoc />
    public ViewerCase Read(string caseId)
    {
        UwCaseDay caseDay = _caseDays[caseId];
        UwSlice first = caseDay.Slices[0];
        int depth = caseDay.Slices.Count, plane = first.Height * first.Width;
        var pixels = new ushort[depth * plane];
        for (int z = 0; z < depth; z++)
        {
            UwSlice slice = caseDay.Slices[z];
            if (slice.Height != first.Height || slice.Width != first.Width)
            {
                throw new MedSegException(
                    $"Slice {slice.ImagePath} is {slice.Width}×{slice.Height} but {first.ImagePath} is {first.Width}×{first.Height}; the slices of a case-day share one size.");
            }
            slice.ReadImage().CopyTo(pixels.AsSpan(z * plane, plane));
        }
        ushort[]? truth = HasTruth ? ViewerMaskValues.Flags(CaseDayMasks.Truth(caseDay, Classes.Count), pixels.Length) : null;
        ushort[]? pred = null;
        if (_predictions is not null)
        {
            byte[][] masks = Classes.Select(_ => new byte[pixels.Length]).ToArray();
            SubmissionEvaluator.Decode(_predictions, caseDay, masks, Classes, _predPath!);
            pred = ViewerMaskValues.Flags(masks, pixels.Length);
        }
        return new ViewerCase(caseId, depth, first.Height, first.Width, 1, pixels, 0, 1,
            [caseDay.SliceThickness, first.SpacingY, first.SpacingX], caseDay.Slices.Select(s => s.Id.ToString()).ToArray(), truth, pred);
    }

    /// <inheritdoc />
    public EvaluationReport? Evaluate() => HasTruth && _predPath is not null
        ? SubmissionEvaluator.Load(_predPath, _data.Root).Evaluate(EvaluationOptions.Parse(EvaluationOptions.UwMadison, null, null))
        : null;
}
