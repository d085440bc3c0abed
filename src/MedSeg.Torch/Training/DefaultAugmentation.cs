using MedSeg.Core;
using MedSeg.Core.Augmentations;

namespace MedSeg.Torch.Training;

/// <summary>
/// The augmentation a run gets when <c>--augment</c> is not given, after nnU-Net's default training transforms
/// (<c>nnUNetTrainer.get_training_transforms</c>): rotation and scaling (p 0.2 there, 0.3 here since MedSeg's runs are
/// shorter), an elastic warp, Gaussian noise and blur, brightness / contrast, low-resolution simulation and gamma —
/// in-plane on 2D slices and on every slice of a 3D patch alike. Ranges are nnU-Net's except the noise (its variance
/// 0.1 assumes z-scored intensities; MedSeg's default per-image-max scaling puts images in [0, 1]). No mirroring:
/// <c>--mirror-axes</c> adds a flip only along axes the user declares symmetric (<see cref="TrainConfig.MirrorAxes"/>).
/// The resolved pipeline is written into the run's <c>config.json</c>, so a run is reproducible after the default changes.
/// </summary>
public static class DefaultAugmentation
{
    /// <summary>What <c>--augment</c> takes to train without any augmentation (as <c>[]</c> does).</summary>
    public const string None = "none";

    /// <summary>The default pipeline of <paramref name="mode"/> (<c>2d</c>, <c>2.5d</c> or <c>3d</c>).</summary>
    public static AugmentationPipeline For(string mode) => AugmentationPipeline.Parse(Json(shift: mode == "3d" ? 0 : 0.05), "the default augmentation");

    /// <summary>The default transforms; <paramref name="shift"/> moves whole slices (a 3D patch is placed at random already).</summary>
    private static string Json(double shift) => $$"""
        [
          {"name": "shift_scale_rotate", "p": 0.3, "shift": {{shift.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "scale": [0.7, 1.4], "rotate": 30},
          {"name": "elastic", "p": 0.2, "alpha": 60, "sigma": 6},
          {"name": "gaussian_noise", "p": 0.1, "std": [0, 0.05]},
          {"name": "gaussian_blur", "p": 0.2, "sigma": [0.5, 1]},
          {"name": "brightness_contrast", "p": 0.15, "brightness": 0, "contrast": 0.25},
          {"name": "lowres", "p": 0.25, "zoom": [0.5, 1]},
          {"name": "gamma", "p": 0.3, "gamma": [0.7, 1.5]}
        ]
        """;

    /// <summary>
    /// The pipeline <paramref name="augment"/> describes (the <c>augment</c> config value): null = the default of
    /// <paramref name="mode"/>, <see cref="None"/> or blank = none, else the JSON pipeline itself.
    /// </summary>
    public static AugmentationPipeline Parse(string? augment, string mode) => augment switch
    {
        null => For(mode),
        _ when string.IsNullOrWhiteSpace(augment) || augment.Trim() == None => AugmentationPipeline.Empty,
        _ => AugmentationPipeline.Parse(augment, "--augment"),
    };

    /// <summary>
    /// The run's whole pipeline: <paramref name="augment"/> (see <see cref="Parse"/>) followed by a flip along each of
    /// the <paramref name="mirrorAxes"/> (<see cref="MirrorAxes"/>) with probability 0.5.
    /// </summary>
    public static AugmentationPipeline Pipeline(string? augment, string mirrorAxes, string mode)
    {
        var axes = MirrorAxes(mirrorAxes, mode);
        var pipeline = Parse(augment, mode);
        return axes.Count == 0 ? pipeline
            : pipeline.Then(AugmentationPipeline.Parse($$"""[{"name": "flip", "p": 0.5, "axes": [{{string.Join(", ", axes.Select(a => $"\"{AxisName(a)}\""))}}]}]""", "--mirror-axes"));
    }

    private static string AxisName(FlipAxis axis) => axis switch
    {
        FlipAxis.Horizontal => "h",
        FlipAxis.Vertical => "v",
        _ => "d",
    };

    /// <summary>
    /// The flip axes written as <c>--mirror-axes</c> takes them: <c>none</c>, or a comma-separated list of <c>h</c>
    /// (left-right, columns), <c>v</c> (up-down, rows) and, in 3D mode, <c>d</c> (slices).
    /// </summary>
    /// <exception cref="MedSegException">An unknown axis, or <c>d</c> outside 3D mode.</exception>
    public static IReadOnlyList<FlipAxis> MirrorAxes(string text, string mode)
    {
        if (text.Trim() == None)
        {
            return [];
        }
        var axes = new List<FlipAxis>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var axis = name switch
            {
                "h" => FlipAxis.Horizontal,
                "v" => FlipAxis.Vertical,
                "d" when mode == "3d" => FlipAxis.Depth,
                "d" => throw new MedSegException($"--mirror-axes {text}: d mirrors the slices of a 3D patch; with --mode {mode} use h and/or v."),
                _ => throw new MedSegException($"--mirror-axes {text}: '{name}' is not an axis; write none, or a list of h (left-right), v (up-down) and d (slices, 3d), e.g. h or h,v."),
            };
            if (!axes.Contains(axis))
            {
                axes.Add(axis);
            }
        }
        return axes;
    }
}
