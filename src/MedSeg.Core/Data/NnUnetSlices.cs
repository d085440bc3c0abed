using System.Text;
using System.Text.Json;
using MedSeg.Core.Inspection;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// nnU-Net raw data preprocessed for the slice trainer, as nnU-Net itself goes raw → preprocessed → training: each
/// training case becomes a UW-Madison case-day <c>case{i}_day0</c> (i = 1, 2, ... in case-id order) of 16-bit PNG
/// slices along <see cref="SliceStackOrientation"/> — the same slices <see cref="NiftiCaseDay"/> gives predict —
/// one PNG per slice and image channel (channel c ≥ 1 in <c>scans_000c/</c>), each channel stored through its own
/// <see cref="IntensityMapping"/> (saved beside <c>scans/</c>), and its label map becomes one RLE mask per class in
/// <c>train.csv</c> (class k = label value k of dataset.json, background left out). With a target spacing (3D
/// training, as nnU-Net's plan) every case is first resampled onto the stack grid of that spacing over its own extent:
/// images trilinearly, label maps by nearest neighbour. <see cref="RecordFile"/> records the source dataset, the
/// classes, the channels, the target spacing and which case-day is which case. The folder is written whole or not at
/// all, and the source dataset is only read.
/// </summary>
public static class NnUnetSlices
{
    /// <summary>The file of a preprocessed folder that records where it came from.</summary>
    public const string RecordFile = "preprocessing.json";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>
    /// What <see cref="RecordFile"/> holds: the source dataset folder, the intensity rule, the classes, case-day id →
    /// nnU-Net case id, the image channels and the target spacing (<c>DxHxW</c> mm; null when the cases kept their own).
    /// </summary>
    public sealed record Record(string Source, string Intensity, IReadOnlyList<string> Classes, IReadOnlyDictionary<string, string> Cases)
    {
        public int Channels { get; init; } = 1;

        public string? TargetSpacing { get; init; }
    }

    /// <summary>The per-axis median stack spacing of the training cases of <paramref name="dataset"/> (headers only), nnU-Net's default target spacing.</summary>
    public static StackSpacing MedianSpacing(NnUnetDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        RequireTrainingCases(dataset);
        return StackSpacing.Median(dataset.TrainingCases.Select(c => new SliceStackOrientation(ImageFiles.ReadGeometry(c.ImagePaths[0])).Grid.Spacing).ToArray());
    }

    /// <summary>Preprocesses the training cases of <paramref name="dataset"/> into the new folder <paramref name="target"/> and loads it.</summary>
    /// <param name="spacing">Resample every case to this stack spacing (null: keep each case's own grid).</param>
    /// <param name="progress">Called after each case with (done, total); cases are processed in parallel, and a failure reports the first failing case.</param>
    /// <exception cref="MedSegException">No training cases, or a case whose files are unreadable, whose channels or label map lie on another grid, or whose label map holds a value that is no label (the message names the file).</exception>
    public static UwMadisonDataset Write(NnUnetDataset dataset, string target, StackSpacing? spacing = null, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        RequireTrainingCases(dataset);
        var cases = dataset.TrainingCases;
        var classes = dataset.Classes;
        using (var folder = new AtomicFolder(target))
        {
            var rows = OrderedParallel.Map(
                Enumerable.Range(0, cases.Count).ToArray(), i => WriteCase(cases[i], i + 1, classes, Path.Combine(folder.TempPath, "train"), spacing), progress);
            using (var csv = new StreamWriter(Path.Combine(folder.TempPath, "train.csv"), append: false, new UTF8Encoding(false)))
            {
                CsvFile.WriteRecord(csv, "id", "class", "segmentation");
                foreach (var caseRows in rows)
                {
                    csv.Write(caseRows);
                }
            }
            var record = new Record(dataset.Root, IntensityMapping.PerVolumeRule, classes,
                cases.Select((c, i) => (CaseDay: CaseDayId(i + 1), c.Id)).ToDictionary(p => p.CaseDay, p => p.Id))
            {
                Channels = dataset.Info.ChannelNames.Count,
                TargetSpacing = spacing?.ToString(),
            };
            AtomicFile.WriteAllText(Path.Combine(folder.TempPath, RecordFile), JsonSerializer.Serialize(record, Json) + "\n");
            folder.Commit();
        }
        return UwMadisonDataset.Load(target, classes);
    }

    /// <summary>Loads a folder written by <see cref="Write"/>, checking that it was made from <paramref name="dataset"/> (same classes, channels and training cases) at <paramref name="spacing"/>.</summary>
    /// <exception cref="MedSegException">The folder has no record, or it records other classes, channels, cases or target spacing.</exception>
    public static UwMadisonDataset Open(string folder, NnUnetDataset dataset, StackSpacing? spacing = null)
    {
        var path = Path.Combine(folder, RecordFile);
        Record? record;
        try
        {
            record = File.Exists(path) ? JsonSerializer.Deserialize<Record>(File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            record = null;
        }
        var expected = dataset.TrainingCases.Select((c, i) => (CaseDay: CaseDayId(i + 1), c.Id));
        if (record is null || !record.Classes.SequenceEqual(dataset.Classes) || record.Cases.Count != dataset.TrainingCases.Count
            || record.Channels != dataset.Info.ChannelNames.Count || record.TargetSpacing != spacing?.ToString()
            || expected.Any(e => !record.Cases.TryGetValue(e.CaseDay, out var id) || id != e.Id))
        {
            throw new MedSegException(
                $"{folder} was not preprocessed from {dataset.Root} as it is now (its {RecordFile} is missing or names other classes, channels, training cases or target spacing); delete {folder} to preprocess the dataset again.");
        }
        return UwMadisonDataset.Load(folder, dataset.Classes);
    }

    /// <summary>Writes case number <paramref name="number"/>'s slices under <paramref name="trainFolder"/>; returns its train.csv rows.</summary>
    private static string WriteCase(NnUnetCase source, int number, IReadOnlyList<string> classes, string trainFolder, StackSpacing? spacing)
    {
        var (image, labels) = source.Read();
        var orientation = new SliceStackOrientation(image.Geometry);
        var grid = spacing is { } s ? orientation.Grid.AtSpacing(s) : orientation.Grid;
        var stacks = orientation.ToStacks(image).Select(stack => orientation.Grid.Resample(stack, grid)).ToArray();
        NiftiCaseDay.WriteCaseDay(Path.Combine(trainFolder, $"case{number}", CaseDayId(number)), stacks, grid, perVolumeIntensity: true);
        var labelStack = orientation.Grid.ResampleNearest(orientation.ToStack(labels!), grid);
        var plane = grid.Height * grid.Width;
        var mask = new byte[plane];
        using var rows = new StringWriter();
        for (var d = 0; d < grid.Depth; d++)
        {
            var id = new UwSliceId(number, 0, d + 1).ToString();
            var slice = labelStack.AsSpan(d * plane, plane);
            for (var k = 0; k < classes.Count; k++)
            {
                var label = (ushort)(k + 1);
                var any = false;
                for (var p = 0; p < plane; p++)
                {
                    mask[p] = slice[p] == label ? (byte)1 : (byte)0;
                    any |= slice[p] == label;
                }
                // The first slice lists every class (so train.csv's order of first appearance is the label order); the others only their non-empty masks.
                if (any || (number == 1 && d == 0))
                {
                    CsvFile.WriteRecord(rows, id, classes[k], Rle.Encode(mask));
                }
            }
        }
        return rows.ToString();
    }

    private static void RequireTrainingCases(NnUnetDataset dataset)
    {
        if (dataset.TrainingCases.Count == 0)
        {
            throw new MedSegException($"{dataset.Root} has no training cases (imagesTr/ with labelsTr/); training needs labelled cases.");
        }
    }

    private static string CaseDayId(int number) => new UwSliceId(number, 0, 1).CaseDayId;
}
