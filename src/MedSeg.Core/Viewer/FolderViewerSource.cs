using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;

namespace MedSeg.Core.Viewer;

/// <summary>
/// A folder dataset (images/ + masks/, or train/ val/ test/) as viewer cases: one per image, a single slice, gray or
/// RGB; masks and predicted index PNGs (<c>STEM.png</c>) as labels. With predictions, the images they cover.
/// </summary>
public sealed class FolderViewerSource : IViewerSource
{
    private readonly string _dataPath;
    private readonly string? _predFolder;
    private readonly Dictionary<string, FolderItem> _items;

    /// <summary>Reads the dataset's names (and, without classes.txt, its masks for the largest class index).</summary>
    /// <exception cref="MedSegException">The dataset is broken, or a prediction names no image of it.</exception>
    public FolderViewerSource(string dataPath, string? predFolder)
    {
        var layout = FolderLayout.Load(dataPath);
        _dataPath = dataPath;
        _predFolder = predFolder;
        var all = new Dictionary<string, FolderItem>(StringComparer.Ordinal);
        foreach (FolderItem item in layout.Parts.SelectMany(p => p.Items))
        {
            all.TryAdd(item.Id, item);
        }
        if (predFolder is not null)
        {
            var ids = Directory.Exists(predFolder)
                ? Directory.EnumerateFiles(predFolder, "*.png").Select(Path.GetFileNameWithoutExtension).OfType<string>()
                    .Where(id => !id.StartsWith('.')).Order(StringComparer.Ordinal).ToArray()
                : [];
            if (ids.Length == 0)
            {
                throw new MedSegException($"--pred {predFolder} holds no .png index maps; pass the folder medseg predict wrote.");
            }
            string? unknown = ids.FirstOrDefault(id => !all.ContainsKey(id));
            if (unknown is not null)
            {
                throw new MedSegException($"--pred {predFolder} holds {unknown}.png, which is no image of {dataPath}; pass the predictions of this dataset.");
            }
            all = ids.ToDictionary(id => id, id => all[id], StringComparer.Ordinal);
        }
        _items = all;
        CaseIds = [.. all.Keys];
        HasTruth = all.Values.Any(i => i.MaskPath is not null);
        Classes = layout.Labels?.Skip(1).ToArray() ?? DefaultClasses();
    }

    /// <inheritdoc />
    public string Format => "folder";

    /// <inheritdoc />
    public IReadOnlyList<string> Classes { get; }

    /// <inheritdoc />
    public ViewerMasks Masks => ViewerMasks.Labels;

    /// <inheritdoc />
    public string CaseKind => "image";

    /// <inheritdoc />
    public IReadOnlyList<string> CaseIds { get; }

    /// <inheritdoc />
    public bool HasTruth { get; }

    /// <inheritdoc />
    public bool HasPredictions => _predFolder is not null;

    /// <inheritdoc />
    public ViewerCase Read(string caseId)
    {
        FolderItem item = _items[caseId];
        (RasterImage image, ushort[]? truth) = item.Read();
        ushort[]? pred = _predFolder is null ? null : ReadPrediction(Path.Combine(_predFolder, caseId + ".png"), image);
        return new ViewerCase(caseId, 1, image.Height, image.Width, image.Channels, image.Pixels, 0, 1, [1, 1, 1], [caseId], truth, pred);
    }

    /// <inheritdoc />
    /// <remarks>Only when every shown image has a mask (the evaluator scores whole sets).</remarks>
    public EvaluationReport? Evaluate() => _predFolder is not null && _items.Values.All(i => i.MaskPath is not null)
        ? FolderEvaluator.Load(_predFolder, _dataPath).Evaluate(EvaluationOptions.Parse("iou", null, null))
        : null;

    private static ushort[] ReadPrediction(string path, RasterImage image)
    {
        RasterImage pred = RasterImage.Read(path);
        if (pred.Channels != 1 || pred.Height != image.Height || pred.Width != image.Width)
        {
            throw new MedSegException(
                $"Prediction {path} is {pred.Width}×{pred.Height} with {pred.Channels} channel(s) but an index map of its image is {image.Width}×{image.Height} with 1 channel; predict at the image's own size.");
        }
        return pred.Pixels;
    }

    // class_1 … class_K, K the largest index of any mask or prediction, when no classes.txt names them.
    private string[] DefaultClasses()
    {
        int largest = 1;
        foreach (string id in CaseIds)
        {
            ViewerCase c = Read(id);
            largest = Math.Max(largest, Math.Max(c.Truth?.Max() ?? 0, c.Pred?.Max() ?? 0));
        }
        return Enumerable.Range(1, largest).Select(FolderSurvey.DefaultName).ToArray();
    }
}
