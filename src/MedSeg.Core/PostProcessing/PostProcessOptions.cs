namespace MedSeg.Core.PostProcessing;

/// <summary>
/// The clean-up applied to each class mask of a case-day (D×H×W) after thresholding, in this order:
/// remove components smaller than <see cref="MinComponent"/> voxels, keep only the largest component, fill holes
/// (components in 3D over the slice stack when <see cref="Volumetric"/>, else per slice), clear slices with fewer
/// than <see cref="MinPixels"/> pixels, keep the longest run of slices (<see cref="SliceRunMaxGap"/>).
/// </summary>
public sealed record PostProcessOptions
{
    public int MinComponent { get; init; }
    public bool KeepLargest { get; init; }
    /// <summary>
    /// Per class (run order), whether that class alone keeps only its largest component, as decided on validation
    /// (<c>RUN/postprocessing.json</c>); null = none. <see cref="KeepLargest"/> applies to every class besides.
    /// </summary>
    public IReadOnlyList<bool>? KeepLargestClasses { get; init; }
    public bool FillHoles { get; init; }
    /// <summary>Null = not given (a run's tuned value may apply; none = off); 0 = off.</summary>
    public int? MinPixels { get; init; }
    /// <summary>Null = off; otherwise the longest run of non-empty slices bridging at most this many empty ones is kept.</summary>
    public int? SliceRunMaxGap { get; init; }
    public Connectivity Connectivity { get; init; } = Connectivity.Full;
    /// <summary>Components and holes in 3D (across slices) rather than per slice.</summary>
    public bool Volumetric { get; init; } = true;

    public static readonly PostProcessOptions None = new();

    /// <summary>The options for class <paramref name="classIndex"/>: <see cref="KeepLargest"/> set where <see cref="KeepLargestClasses"/> says so.</summary>
    public PostProcessOptions ForClass(int classIndex) =>
        KeepLargestClasses is { } classes && classIndex < classes.Count && classes[classIndex] && !KeepLargest
            ? this with { KeepLargest = true, KeepLargestClasses = null }
            : this;

    /// <summary>Applies every enabled step to one class mask of <paramref name="depth"/> slices of H×W, in place.</summary>
    public void Apply(Span<byte> mask, int depth, int height, int width)
    {
        if (MinComponent > 1 || KeepLargest || FillHoles)
        {
            if (Volumetric)
            {
                ApplyComponents(mask, [depth, height, width]);
            }
            else
            {
                for (var s = 0; s < depth; s++)
                {
                    ApplyComponents(mask.Slice(s * height * width, height * width), [height, width]);
                }
            }
        }
        if (MinPixels > 0)
        {
            MaskFilters.ClearSparseSlices(mask, depth, MinPixels.Value);
        }
        if (SliceRunMaxGap is { } gap)
        {
            MaskFilters.KeepLongestSliceRun(mask, depth, gap);
        }
    }

    private void ApplyComponents(Span<byte> mask, ReadOnlySpan<int> shape)
    {
        if (MinComponent > 1)
        {
            MaskFilters.RemoveSmallComponents(mask, shape, MinComponent, Connectivity);
        }
        if (KeepLargest)
        {
            MaskFilters.KeepLargestComponent(mask, shape, Connectivity);
        }
        if (FillHoles)
        {
            MaskFilters.FillHoles(mask, shape, Connectivity);
        }
    }
}
