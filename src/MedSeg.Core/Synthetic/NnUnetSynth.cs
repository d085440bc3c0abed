using MedSeg.Core.Data;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Writes the synthetic GI-tract MRI dataset of <see cref="UwMadisonSynth"/> (the same anatomy and pixels, per
/// seed) as an nnU-Net v2 raw dataset <c>DatasetNNN_SynthGI/</c>: one 3-D volume per case-day,
/// <c>imagesTr/caseN_dayM_0000.nii.gz</c> (float32, channel "T2") and <c>labelsTr/caseN_dayM.nii.gz</c> (uint8:
/// 0 background, 1 stomach, 2 small_bowel, 3 large_bowel; where organs overlap the stomach wins, then the small
/// bowel), voxels 1.5 (or 1.63) × 1.5 × 3 mm on an oblique LPS grid (see <see cref="SynthGeometry"/>), or another
/// spacing when one is given. With several channels, channel c ≥ 1 (<c>caseN_dayM_000c</c>, named "C{c}") shows the same
/// anatomy in another contrast: inverted (65535 − value) for odd c, value / (c + 1) for even c. Deterministic per
/// seed, byte for byte.
/// </summary>
public static class NnUnetSynth
{
    /// <summary>The dataset number used when none is given (nnU-Net leaves 500 and up to users).</summary>
    public const int DefaultDatasetId = 500;

    /// <summary>The dataset name after the number.</summary>
    public const string DatasetName = "SynthGI";

    /// <summary>The labels of dataset.json by value: background, then <see cref="UwMadisonSynth.Classes"/>.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["background", .. UwMadisonSynth.Classes];

    /// <summary>The dataset folder name, <c>DatasetNNN_SynthGI</c>.</summary>
    public static string DatasetFolderName(int datasetId) => $"Dataset{datasetId:D3}_{DatasetName}";

    /// <summary>
    /// Writes <c>DatasetNNN_SynthGI</c> inside <paramref name="outDir"/> (an nnU-Net raw folder, created if needed);
    /// the dataset folder must not exist or be empty, and appears whole or not at all. <paramref name="progress"/>
    /// receives one line per case-day. Positives count volumes.
    /// </summary>
    /// <exception cref="MedSegException">An option or the dataset id is out of range, or the dataset folder is not empty.</exception>
    /// <param name="channels">Image channels per case (1 to 8; <c>--channels</c>).</param>
    /// <param name="spacing">Voxel spacing of every case (<c>--spacing DxHxW</c> mm), or null for the scans' own.</param>
    public static SynthSummary Write(string outDir, UwMadisonSynthOptions options, int datasetId = DefaultDatasetId, Action<string>? progress = null,
        int channels = 1, StackSpacing? spacing = null)
    {
        ArgumentNullException.ThrowIfNull(outDir);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (channels is < 1 or > 8)
        {
            throw new MedSegException($"The number of image channels must be between 1 and 8, not {channels}; change --channels.");
        }
        RequireDatasetId(datasetId);
        var plan = SynthPlan.Create(options);
        var info = new NnUnetDatasetInfo(["T2", .. Enumerable.Range(1, channels - 1).Select(c => $"C{c}")], Labels, plan.Count, Name: DatasetName);
        using var writer = new NnUnetDatasetWriter(Path.Combine(outDir, DatasetFolderName(datasetId)), info);
        var present = SynthScanRenderer.ForEachScan(
            plan,
            scan => WriteCase(writer, options, scan, channels, spacing),
            scan => $"{scan.Id}: {options.Width}x{options.Height}x{options.Slices} volume written",
            progress);
        writer.Commit();
        var positives = Enumerable.Range(0, UwMadisonSynth.Classes.Count).Select(c => present.Count(p => p[c + 1])).ToArray();
        return new SynthSummary(plan.Select(s => s.Case).Distinct().Count(), plan.Count, plan.Count * options.Slices, UwMadisonSynth.Classes, positives);
    }

    /// <summary>Checks that <paramref name="datasetId"/> is an nnU-Net dataset number (1 to 999).</summary>
    /// <exception cref="MedSegException">It is not.</exception>
    internal static void RequireDatasetId(int datasetId)
    {
        if (datasetId < 1 || datasetId > 999)
        {
            throw new MedSegException($"The nnU-Net dataset id must be between 1 and 999, not {datasetId}; change --dataset-id.");
        }
    }

    /// <summary>Renders and writes one case-day; returns which label values occur in it.</summary>
    private static bool[] WriteCase(NnUnetDatasetWriter writer, UwMadisonSynthOptions options, SynthPlan.Scan scan, int channels, StackSpacing? spacing)
    {
        var geometry = SynthGeometry.Create(options, scan, spacing);
        int pixels = options.Height * options.Width;
        int voxels = pixels * options.Slices;
        var image = new Volume<float>(geometry, channels);
        var labels = new Volume<ushort>(geometry);
        var slice = new ushort[pixels];
        var present = new bool[Labels.Count];
        var renderer = new SynthScanRenderer(options, scan);
        for (int z = 0; z < options.Slices; z++)
        {
            // A slice is H×W row-major, which is exactly NIfTI's x-fastest plane k = z.
            ReadOnlySpan<byte> owner = renderer.RenderNext(slice);
            var imagePlane = image.Voxels.AsSpan(z * pixels, pixels);
            var labelPlane = labels.Voxels.AsSpan(z * pixels, pixels);
            for (int i = 0; i < pixels; i++)
            {
                imagePlane[i] = slice[i];
                labelPlane[i] = owner[i];
                present[owner[i]] = true;
            }
        }
        for (int c = 1; c < channels; c++)
        {
            var channel = image.Voxels.AsSpan(c * voxels, voxels);
            for (int v = 0; v < voxels; v++)
            {
                channel[v] = c % 2 == 1 ? ushort.MaxValue - image.Voxels[v] : image.Voxels[v] / (c + 1);
            }
        }
        writer.AddCase(scan.Id, image, labels);
        return present;
    }
}
