using System.Globalization;
using MedSeg.Core.Data;
using MedSeg.Core.Dicom;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Inspection;

/// <summary>
/// Reads and validates every image and mask of a dataset (every PNG and NIfTI file decoded, every RLE decoded,
/// every label value checked against the class list) on all cores, and summarises it. Any broken file is a
/// <see cref="MedSegException"/> naming it; when several are broken, the first in dataset order is reported.
/// </summary>
public static class DatasetInspector
{
    /// <summary>
    /// Inspects the dataset folder <paramref name="root"/>; <paramref name="progress"/> gets (items done, items in
    /// all). DICOM patient tags are read only when <paramref name="showPatient"/> is set.
    /// </summary>
    /// <exception cref="MedSegException">The folder fits no layout, or a file, RLE or label value is invalid.</exception>
    public static DatasetSummary Inspect(string root, DatasetFormat format = DatasetFormat.Auto, Action<int, int>? progress = null, bool showPatient = false)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (format == DatasetFormat.Auto)
        {
            format = DatasetFormats.Detect(root);
        }
        return format switch
        {
            DatasetFormat.UwMadison => InspectUwMadison(root, progress),
            DatasetFormat.NnUnet => InspectNnUnet(root, progress),
            DatasetFormat.Folder => InspectFolder(root, progress),
            DatasetFormat.Dicom => InspectDicom(root, progress, showPatient),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a dataset format."),
        };
    }

    /// <summary>What one item contributes: its description and, per label value k (class k), its count of positive slices or 1 when present.</summary>
    private sealed record ItemResult(InspectedItem Item, int[] Positives);

    private static DatasetSummary InspectUwMadison(string root, Action<int, int>? progress)
    {
        var dataset = UwMadisonDataset.Load(root);
        int classes = dataset.HasLabels ? dataset.Classes.Count : 0;
        var slices = OrderedParallel.Map(dataset.Slices, slice =>
        {
            var (min, max) = Range<ushort>(slice.ReadImage());
            var present = new bool[classes];
            var mask = new byte[checked(slice.Height * slice.Width)];
            for (int c = 0; c < classes; c++)
            {
                slice.DecodeMask(c, mask);
                present[c] = mask.AsSpan().Contains((byte)1);
            }
            return (Min: min, Max: max, Present: present);
        }, progress);

        var items = new List<ItemResult>();
        int next = 0;
        foreach (var caseDay in dataset.CaseDays)
        {
            var first = caseDay.Slices[0];
            var positives = new int[classes + 1];
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (var slice in caseDay.Slices)
            {
                var name = slice.FileName;
                if (name.Width != first.Width || name.Height != first.Height || name.SpacingX != first.SpacingX || name.SpacingY != first.SpacingY)
                {
                    throw new MedSegException(
                        $"Image {slice.ImagePath} is {name.Width}×{name.Height} px at {name.SpacingX}×{name.SpacingY} mm but {first.ImagePath} of the same scan {caseDay.Id} is {first.Width}×{first.Height} px at {first.SpacingX}×{first.SpacingY} mm; every slice of a case-day must share size and spacing.");
                }
                var result = slices[next++];
                min = Math.Min(min, result.Min);
                max = Math.Max(max, result.Max);
                for (int c = 0; c < classes; c++)
                {
                    positives[c + 1] += result.Present[c] ? 1 : 0;
                }
            }
            var item = new InspectedItem(
                caseDay.Id, [caseDay.Slices.Count, first.Height, first.Width], [caseDay.SliceThickness, first.SpacingY, first.SpacingX], min, max)
            {
                Split = dataset.HasLabels ? "train" : "test",
            };
            items.Add(new ItemResult(item, positives));
        }
        var classNames = dataset.HasLabels ? dataset.Classes : [];
        return Summarise(DatasetFormat.UwMadison, dataset.Root, classNames, dataset.CaseDays.Select(c => c.Case).Distinct().Count(), dataset.SliceCount, items) with
        {
            Labelled = dataset.HasLabels,
        };
    }

    private static DatasetSummary InspectNnUnet(string root, Action<int, int>? progress)
    {
        var dataset = NnUnetDataset.Load(root);
        int labels = dataset.Info.Labels.Count;
        var items = OrderedParallel.Map(dataset.Cases, nnCase =>
        {
            var (image, labelMap) = nnCase.Read();
            RequireFinite(image, nnCase);
            var (min, max) = Range<float>(image.Voxels);
            var positives = new int[labels];
            if (labelMap is not null)
            {
                foreach (int value in LabelValues.Present(labelMap.Voxels, labels))
                {
                    positives[value] = 1;
                }
            }
            // Spacings from float32 header fields, rounded to the µm, and float values in their shortest form read better.
            var spacing = image.Spacing.ToArray().Select(s => Math.Round(s, 6)).ToArray();
            var item = new InspectedItem(nnCase.Id, image.Shape.ToArray(), spacing, Shortest(min), Shortest(max))
            {
                Channels = image.Channels,
                Split = nnCase.IsTraining ? "train" : "test",
                Orientation = Reorientation.AxisCodes(image.Affine),
            };
            return new ItemResult(item, positives);
        }, progress);
        long slices = items.Sum(i => (long)i.Item.Shape[2]);
        return Summarise(DatasetFormat.NnUnet, dataset.Root, dataset.Classes, dataset.Cases.Count, slices, items) with
        {
            Labelled = dataset.TrainingCases.Count > 0,
        };
    }

    private static DatasetSummary InspectDicom(string root, Action<int, int>? progress, bool showPatient)
    {
        var full = Path.GetFullPath(root);
        var series = DicomFolder.FindSeries(full);
        var ids = DicomCaseIds.Of(series, full);
        var items = OrderedParallel.Map(Enumerable.Range(0, series.Count).ToArray(), i =>
        {
            var image = DicomFolder.Read(series[i]);
            var (min, max) = Range<float>(image.Voxels);
            var item = new InspectedItem(ids[i], image.Shape.ToArray(), image.Spacing.ToArray().Select(s => Math.Round(s, 6)).ToArray(), Shortest(min), Shortest(max))
            {
                Split = "test",
                Orientation = Reorientation.AxisCodes(image.Affine),
                Modality = series[i].Slices[0].Modality,
                Patient = showPatient ? DicomBackend.Current.ReadPatient(series[i].Slices[0].File) : null,
            };
            return new ItemResult(item, []);
        }, progress);
        return Summarise(DatasetFormat.Dicom, full, [], series.Select(s => s.Slices[0].StudyUid).Distinct().Count(), items.Sum(i => (long)i.Item.Shape[2]), items);
    }

    private static DatasetSummary InspectFolder(string root, Action<int, int>? progress)
    {
        var layout = FolderLayout.Load(root);
        var parts = layout.IsSplit ? new[] { layout.Train, layout.Validation, layout.Test } : [layout.Whole];
        var all = parts.SelectMany((part, p) => part is null ? [] : part.Items.Select(item => (Item: item, Part: layout.IsSplit ? FolderLayout.SplitNames[p] : null)))
            .ToArray();
        var items = OrderedParallel.Map(all, entry =>
        {
            var folderItem = entry.Item;
            var (image, mask) = folderItem.Read();
            var (min, max) = Range<ushort>(image.Pixels);
            int[] positives = [];
            if (mask is not null)
            {
                var present = LabelValues.Present(mask, ushort.MaxValue + 1);
                positives = new int[present.Count == 0 ? 1 : present[^1] + 1];
                foreach (int value in present)
                {
                    positives[value] = 1;
                }
            }
            int[] shape = image.Channels == 1 ? [image.Height, image.Width] : [image.Height, image.Width, image.Channels];
            var item = new InspectedItem(folderItem.Id, shape, null, min, max)
            {
                Channels = image.Channels,
                Split = entry.Part ?? (mask is null ? "test" : "train"),
            };
            return new ItemResult(item, positives);
        }, progress);
        // Without classes.txt the classes are named by index, up to the largest index found in any mask.
        int largest = items.Max(i => i.Positives.Length) - 1;
        IReadOnlyList<string> classes = layout.Labels is { } labels
            ? labels.Skip(1).ToArray()
            : Enumerable.Range(1, Math.Max(0, largest)).Select(FolderSurvey.DefaultName).ToArray();
        return Summarise(DatasetFormat.Folder, layout.Root, classes, items.Length, items.Length, items) with
        {
            Labelled = layout.Parts.Any(part => part.HasMasks),
        };
    }

    private static DatasetSummary Summarise(DatasetFormat format, string root, IReadOnlyList<string> classes, int cases, long slices, IReadOnlyList<ItemResult> items)
    {
        var positives = new int[classes.Count];
        foreach (var item in items)
        {
            for (int k = 1; k < item.Positives.Length && k <= classes.Count; k++)
            {
                positives[k - 1] += item.Positives[k];
            }
        }
        return new DatasetSummary(format, root, classes, cases, items.Count, slices, positives, items.Select(i => i.Item).ToArray());
    }

    /// <summary>The double that prints as the shortest text of the float <paramref name="value"/> (0.1f → 0.1, not 0.10000000149).</summary>
    private static double Shortest(double value) =>
        double.Parse(((float)value).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void RequireFinite(Volume<float> image, NnUnetCase nnCase)
    {
        for (int i = 0; i < image.Voxels.Length; i++)
        {
            if (!float.IsFinite(image.Voxels[i]))
            {
                var s = image.Shape;
                int channel = (int)(i / s.VoxelCount), v = (int)(i % s.VoxelCount);
                throw new MedSegException(
                    $"Image {nnCase.ImagePaths[channel]} has the value {image.Voxels[i]} at voxel ({v % s.X}, {v / s.X % s.Y}, {v / s.X / s.Y}); replace the non-finite values (e.g. by 0) before training.");
            }
        }
    }

    private static (double Min, double Max) Range<T>(ReadOnlySpan<T> values) where T : unmanaged, IComparable<T>, System.Numerics.INumberBase<T>
    {
        if (values.IsEmpty)
        {
            return (double.NaN, double.NaN);
        }
        T min = values[0], max = values[0];
        foreach (T value in values)
        {
            if (value.CompareTo(min) < 0)
            {
                min = value;
            }
            if (value.CompareTo(max) > 0)
            {
                max = value;
            }
        }
        return (double.CreateTruncating(min), double.CreateTruncating(max));
    }
}
