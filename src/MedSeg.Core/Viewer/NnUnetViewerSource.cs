using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Viewer;

/// <summary>
/// An nnU-Net raw dataset as viewer cases: one per case (imagesTr, then imagesTs), its z planes as slices and its
/// first channel as the image; label maps as labels. With a folder of predicted label maps (<c>CASE.nii.gz</c>), the
/// cases it holds.
/// </summary>
public sealed class NnUnetViewerSource : IViewerSource
{
    private readonly NnUnetDataset _data;
    private readonly string? _predFolder;
    private readonly Dictionary<string, NnUnetCase> _cases;

    /// <summary>Reads the dataset's names and pairs each predicted label map with its case.</summary>
    /// <exception cref="MedSegException">The dataset is broken, or a prediction names no case of it.</exception>
    public NnUnetViewerSource(string dataPath, string? predFolder)
    {
        _data = NnUnetDataset.Load(dataPath);
        _predFolder = predFolder;
        var all = _data.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        IEnumerable<NnUnetCase> shown = _data.Cases;
        if (predFolder is not null)
        {
            if (!Directory.Exists(predFolder))
            {
                throw new MedSegException($"--pred {predFolder} is not a folder; pass the folder of CASE.nii.gz label maps medseg predict wrote.");
            }
            var ids = Directory.EnumerateFiles(predFolder).Select(LabelMapEvaluator.CaseId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            string? unknown = ids.FirstOrDefault(id => !all.ContainsKey(id));
            if (unknown is not null)
            {
                throw new MedSegException($"--pred {predFolder} holds a label map of {unknown}, which is no case of {_data.Root}; pass the predictions of this dataset.");
            }
            shown = ids.Select(id => all[id]);
        }
        _cases = shown.ToDictionary(c => c.Id, StringComparer.Ordinal);
        CaseIds = [.. _cases.Keys];
        if (CaseIds.Count == 0)
        {
            throw new MedSegException(predFolder is null
                ? $"--data {dataPath} holds no case; add images to imagesTr/ or imagesTs/."
                : $"--pred {predFolder} holds no .nii.gz or .nii label map; pass the folder medseg predict wrote.");
        }
    }

    /// <inheritdoc />
    public string Format => "nnunet";

    /// <inheritdoc />
    public IReadOnlyList<string> Classes => _data.Classes;

    /// <inheritdoc />
    public ViewerMasks Masks => ViewerMasks.Labels;

    /// <inheritdoc />
    public string CaseKind => "case";

    /// <inheritdoc />
    public IReadOnlyList<string> CaseIds { get; }

    /// <inheritdoc />
    public bool HasTruth => _cases.Values.Any(c => c.IsTraining);

    /// <inheritdoc />
    public bool HasPredictions => _predFolder is not null;

    /// <inheritdoc />
    public ViewerCase Read(string caseId)
    {
        NnUnetCase nnCase = _cases[caseId];
        (Volume<float> image, Volume<ushort>? labels) = nnCase.Read();
        VolumeShape shape = image.Shape;
        ushort[] pixels = FloatToGray.Map(image.Channel(0), out float low, out float step);
        ushort[]? pred = null;
        if (_predFolder is not null)
        {
            string path = LabelMapEvaluator.Endings.Select(e => Path.Combine(_predFolder, caseId + e)).First(File.Exists);
            Volume<ushort> predicted = Nifti.ReadLabels(path);
            if (predicted.Shape != shape)
            {
                throw new MedSegException($"Prediction {path} is {predicted.Shape} but its image {nnCase.ImagePaths[0]} is {shape}; predict on the image's grid.");
            }
            pred = predicted.Voxels;
        }
        // NIfTI voxels run x fastest, then y, then z: z planes are the slices, y the rows, x the columns.
        return new ViewerCase(caseId, shape.Z, shape.Y, shape.X, 1, pixels, low, step,
            [image.Spacing.Z, image.Spacing.Y, image.Spacing.X],
            Enumerable.Range(0, shape.Z).Select(z => string.Create(CultureInfo.InvariantCulture, $"{caseId} z {z}")).ToArray(),
            labels?.Voxels, pred);
    }

    /// <inheritdoc />
    /// <remarks>Only when every shown case has a label map (the evaluator scores whole sets).</remarks>
    public EvaluationReport? Evaluate() => _predFolder is not null && _cases.Values.All(c => c.IsTraining)
        ? LabelMapEvaluator.Load(_predFolder, _data.Root).Evaluate(EvaluationOptions.Parse("dice", null, null))
        : null;
}
