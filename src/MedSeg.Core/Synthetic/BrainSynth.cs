using MedSeg.Core.Data;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Synthetic;

/// <summary>
/// Writes a small brain-MRI evaluation that is not the GI generator (issue 12), as an nnU-Net v2 raw dataset
/// <c>DatasetNNN_SynthBrain/</c>: T1-like head volumes (channel "T1", float32; 1 mm isotropic unless given) with
/// label maps of eight deep grey-matter structures, left and right labelled apart (<see cref="BrainTemplate.Classes"/>;
/// x runs towards the subject's right, so a left–right flip is not a symmetry of the labels). Every subject is one
/// labelled template seen through its own affine jitter and elastic warp and scanned with its own contrast, bias field
/// and noise (<see cref="BrainSubject"/>). Subject <c>sub01</c> is the one training case (<c>imagesTr</c>,
/// <c>labelsTr</c>); the others are held out: <c>imagesTs</c>, which <c>predict</c> segments, with their truth in
/// <c>labelsTs</c>, which <c>evaluate --truth</c> reads. Deterministic per seed, byte for byte.
/// </summary>
public static class BrainSynth
{
    /// <summary>The dataset name after the number.</summary>
    public const string DatasetName = "SynthBrain";

    /// <summary>The labels of dataset.json by value: background, then <see cref="BrainTemplate.Classes"/>.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["background", .. BrainTemplate.Classes];

    /// <summary>The dataset folder name, <c>DatasetNNN_SynthBrain</c>.</summary>
    public static string DatasetFolderName(int datasetId) => $"Dataset{datasetId:D3}_{DatasetName}";

    /// <summary>The case id of subject <paramref name="number"/> (0-based): <c>sub01</c>, <c>sub02</c>, ...</summary>
    public static string SubjectId(int number) => $"sub{number + 1:D2}";

    /// <summary>
    /// Writes <c>DatasetNNN_SynthBrain</c> inside <paramref name="outDir"/> (an nnU-Net raw folder, created if needed);
    /// the dataset folder must not exist or be empty, and appears whole or not at all. <paramref name="progress"/>
    /// receives one line per subject. Positives count subjects with the class.
    /// </summary>
    /// <exception cref="MedSegException">An option or the dataset id is out of range, or the dataset folder is not empty.</exception>
    public static SynthSummary Write(string outDir, BrainSynthOptions options, int datasetId = NnUnetSynth.DefaultDatasetId, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(outDir);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NnUnetSynth.RequireDatasetId(datasetId);
        var template = BrainTemplate.Create(options.Seed);
        var info = new NnUnetDatasetInfo(["T1"], Labels, 1, Name: DatasetName);
        using var writer = new NnUnetDatasetWriter(Path.Combine(outDir, DatasetFolderName(datasetId)), info);
        var positives = new int[BrainTemplate.Classes.Count];
        for (var n = 0; n < options.Subjects; n++)
        {
            var (image, labels) = Render(template, options, n);
            var present = labels.Voxels.Where(v => v > 0).Distinct().ToArray();
            foreach (var label in present)
            {
                positives[label - 1]++;
            }
            if (n == 0)
            {
                writer.AddCase(SubjectId(n), image, labels);
            }
            else
            {
                writer.AddHeldOutCase(SubjectId(n), image, labels);
            }
            progress?.Invoke($"{SubjectId(n)}: {options.Width}x{options.Height}x{options.Slices} volume written ({(n == 0 ? "training" : "held out")})");
        }
        writer.Commit();
        return new SynthSummary(options.Subjects, options.Subjects, options.Subjects * options.Slices, BrainTemplate.Classes, positives);
    }

    /// <summary>Subject <paramref name="number"/>'s image and label map (0-based; what <see cref="Write"/> stores for it).</summary>
    public static (Volume<float> Image, Volume<ushort> Labels) Subject(BrainSynthOptions options, int number)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Render(BrainTemplate.Create(options.Seed), options, number);
    }

    private static (Volume<float> Image, Volume<ushort> Labels) Render(BrainTemplate template, BrainSynthOptions options, int number)
    {
        var spacing = options.VoxelSpacing;
        var (w, h, d) = (options.Width, options.Height, options.Slices);
        // The head (about ±0.92 head units front to back) fits the smallest extent of the field of view.
        var headUnitMm = (float)(0.5 * Math.Min(w * spacing.Width, Math.Min(h * spacing.Height, d * spacing.Depth)) / 0.97);
        var affine = Affine.Diagonal(spacing.Width, spacing.Height, spacing.Depth,
            -(w - 1) / 2.0 * spacing.Width, -(h - 1) / 2.0 * spacing.Height, -(d - 1) / 2.0 * spacing.Depth);
        var geometry = new VolumeGeometry(new VolumeShape(w, h, d), affine);
        return BrainSubject.Create(options.Seed, number).Render(template, geometry, spacing, headUnitMm);
    }
}
