using System.Text.Json.Serialization;

namespace MedSeg.Core.Inspection;

/// <summary>
/// What the training data looked like, so a user of a trained model can tell whether their data is like it (nnU-Net's
/// dataset fingerprint, in short): per spatial axis the minimum, median and maximum image size and spacing, and the
/// intensity range, over the training items of a dataset as <c>medseg inspect</c> reads them.
/// </summary>
public sealed record DataFingerprint(
    [property: JsonPropertyName("recorded")] bool Recorded,
    [property: JsonPropertyName("format")] string? Format = null,
    [property: JsonPropertyName("items")] int Items = 0,
    [property: JsonPropertyName("shape_min")] IReadOnlyList<int>? ShapeMin = null,
    [property: JsonPropertyName("shape_median")] IReadOnlyList<int>? ShapeMedian = null,
    [property: JsonPropertyName("shape_max")] IReadOnlyList<int>? ShapeMax = null,
    [property: JsonPropertyName("spacing_median")] IReadOnlyList<double>? SpacingMedian = null,
    [property: JsonPropertyName("intensity_min")] double? IntensityMin = null,
    [property: JsonPropertyName("intensity_max")] double? IntensityMax = null,
    [property: JsonPropertyName("note")] string? Note = null)
{
    /// <summary>The fingerprint of a bundle exported without its training data.</summary>
    public static DataFingerprint NotRecorded { get; } = new(false, Note: "exported without --data: the training data was not available to fingerprint");

    /// <summary>
    /// The fingerprint of the items of <paramref name="dataPath"/> whose id is one of <paramref name="trainIds"/> (the
    /// run's training case-days or cases), or of every item when none matches (with a note saying so).
    /// </summary>
    public static DataFingerprint Of(string dataPath, IReadOnlyCollection<string> trainIds)
    {
        var summary = DatasetInspector.Inspect(dataPath);
        var ids = trainIds.ToHashSet();
        var training = summary.Items.Where(i => ids.Contains(i.Id)).ToArray();
        var note = training.Length > 0 ? null : $"none of the run's {trainIds.Count} training ids is an item of {dataPath}: every item was fingerprinted";
        var items = training.Length > 0 ? training : [.. summary.Items];
        if (items.Length == 0)
        {
            throw new MedSegException($"--data {dataPath} has no images to fingerprint; pass the dataset the run was trained on.");
        }
        var rank = items.Min(i => i.Shape.Count);
        int[] Axis(Func<IEnumerable<int>, int> pick) => [.. Enumerable.Range(0, rank).Select(a => pick(items.Select(i => i.Shape[a])))];
        var spaced = items.Where(i => i.Spacing is { Count: > 0 }).ToArray();
        var spacingRank = spaced.Length == 0 ? 0 : spaced.Min(i => i.Spacing!.Count);
        return new DataFingerprint(true, DatasetFormats.Name(summary.Format), items.Length,
            Axis(v => v.Min()), Axis(v => Median(v)), Axis(v => v.Max()),
            spacingRank == 0 ? null : [.. Enumerable.Range(0, spacingRank).Select(a => Median(spaced.Select(i => i.Spacing![a])))],
            items.Min(i => i.Min), items.Max(i => i.Max), note);
    }

    private static T Median<T>(IEnumerable<T> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
