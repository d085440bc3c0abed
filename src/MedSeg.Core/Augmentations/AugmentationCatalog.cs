namespace MedSeg.Core.Augmentations;

/// <summary>
/// Every transform a JSON pipeline can name, as data: name → keys with defaults → instance. A range key takes
/// <c>[low, high]</c> or one number: ± around the neutral value for shift, scale, rotate, distort, brightness and
/// contrast; that exact value for the others.
/// </summary>
internal static class AugmentationCatalog
{
    private const string Spread = "a number (±) or a range [low, high]";

    private static readonly (string, FlipAxis)[] FlipAxes =
    [
        ("h", FlipAxis.Horizontal), ("horizontal", FlipAxis.Horizontal),
        ("v", FlipAxis.Vertical), ("vertical", FlipAxis.Vertical),
        ("d", FlipAxis.Depth), ("depth", FlipAxis.Depth),
    ];

    private static readonly (string, BorderMode)[] Borders =
        [("constant", BorderMode.Constant), ("edge", BorderMode.Edge), ("reflect", BorderMode.Reflect)];

    public static readonly IReadOnlyList<AugmentationSpec> Transforms =
    [
        new("flip", "mirror along each axis of axes (h: left-right, v: up-down, d: depth) with probability p each",
            a => new Flip(a.Choices("axes", [FlipAxis.Horizontal], FlipAxes), a.Probability(0.5))),
        new("rotate90", "rotate the plane by 90°, 180° or 270°",
            a => new RandomRotate90(a.Probability(0.5))),
        new("shift_scale_rotate", "shift (fraction of the size), scale (factor) and rotate (degrees) the plane",
            a => new ShiftScaleRotate(a.Probability(0.5),
                a.Range("shift", ValueRange.Around(0, 0.0625), 0, -1, 1, Spread + " within [-1, 1]"),
                a.Range("scale", ValueRange.Around(1, 0.1), 1, 0.01, 100, Spread + " of factors > 0"),
                a.Range("rotate", ValueRange.Around(0, 15), 0, -360, 360, Spread + " of degrees"),
                Border(a))),
        new("elastic", "elastic deformation: displacement alpha × Gaussian(sigma pixels) of uniform noise",
            a => new ElasticDeformation(a.Probability(0.5),
                a.Number("alpha", 120, 0, 1e5, "a number ≥ 0"),
                a.Number("sigma", 6, 0.1, 1e3, "a number of pixels in [0.1, 1000]"),
                Border(a))),
        new("grid_distortion", "stretch the cells of a steps × steps grid by 1 + distort",
            a => new GridDistortion(a.Probability(0.5),
                a.Integer("steps", 5, 1, 1000, "a whole number ≥ 1"),
                a.Range("distort", ValueRange.Around(0, 0.3), 0, -0.99, 0.99, Spread + " within (-1, 1)"),
                Border(a))),
        new("brightness_contrast", "x ← contrast·x + brightness",
            a => new BrightnessContrast(a.Probability(0.5),
                a.Range("brightness", ValueRange.Around(0, 0.2), 0, -1e3, 1e3, Spread),
                a.Range("contrast", ValueRange.Around(1, 0.2), 1, 0, 1e3, Spread + " of factors ≥ 0"))),
        new("gamma", "gamma correction over the image's range",
            a => new RandomGamma(a.Probability(0.5),
                a.Range("gamma", new ValueRange(0.8, 1.2), null, 0.01, 100, "a number or a range [low, high] of exponents > 0"))),
        new("gaussian_noise", "add normal noise of standard deviation std",
            a => new GaussianNoise(a.Probability(0.5),
                a.Range("std", new ValueRange(0.01, 0.05), null, 0, 1e3, "a number or a range [low, high] ≥ 0"))),
        new("gaussian_blur", "Gaussian blur of sigma pixels (in-plane)",
            a => new GaussianBlur(a.Probability(0.5),
                a.Range("sigma", new ValueRange(0.5, 1.5), null, 0, 100, "a number or a range [low, high] of pixels ≥ 0"))),
        new("lowres", "simulate a lower in-plane resolution: down-sample by a factor zoom (nearest), resize back (linear)",
            a => new SimulateLowResolution(a.Probability(0.25),
                a.Range("zoom", new ValueRange(0.5, 1), null, 0.01, 1, "a factor or a range [low, high] within (0, 1]"))),
        new("coarse_dropout", "fill holes boxes, each a fraction size of every axis, with fill",
            a =>
            {
                var p = a.Probability(0.5);
                var (low, high) = a.IntegerRange("holes", (1, 8), 0, 10_000, "a whole number or a range [low, high] ≥ 0");
                return new CoarseDropout(p, low, high,
                    a.Range("size", new ValueRange(0.02, 0.1), null, 0, 1, "a fraction or a range [low, high] within [0, 1]"),
                    (float)a.Number("fill", 0, -1e6, 1e6, "a number"));
            }),
        new("crop", "random crop of size; a fraction foreground of crops is centred on foreground (nnU-Net)",
            a => new RandomCrop(a.Size("size"), a.Number("foreground", 1.0 / 3, 0, 1, "a fraction in [0, 1]"), a.Probability(1))),
        new("resize", "resize to size (image linear, mask nearest)",
            a => new Resize(a.Size("size"), a.Probability(1))),
        new("pad", "pad shorter axes to size, centred, the image with fill",
            a => new PadToSize(a.Size("size"), (float)a.Number("fill", 0, -1e6, 1e6, "a number"), a.Probability(1))),
    ];

    public static string Names => string.Join(", ", Transforms.Select(t => t.Name));

    public static AugmentationSpec? Find(string name) => Transforms.FirstOrDefault(t => t.Name == name);

    private static BorderMode Border(AugmentationArguments a) => a.Choice("border", BorderMode.Constant, Borders);
}
