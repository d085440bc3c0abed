using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// Weights of a decoder's outputs for deep supervision: <see cref="Weights"/>[0] for the full-resolution output,
/// then one per auxiliary output at lower resolution. The loss is Σᵢ wᵢ·loss(outputᵢ, targetᵢ), where targetᵢ
/// (and a per-pixel ignore mask) is downsampled to outputᵢ's size; an ignore mask is max-pooled either way, so a
/// low-resolution pixel covering an ignored one is ignored.
/// </summary>
public sealed class DeepSupervision
{
    public DeepSupervision(IReadOnlyList<double> weights, TargetDownsampling downsampling = TargetDownsampling.MaxPool)
    {
        if (weights.Count == 0 || weights.Any(w => !(w >= 0) || !double.IsFinite(w)))
        {
            throw new ArgumentException("deep-supervision weights must be one or more finite numbers ≥ 0.", nameof(weights));
        }
        Weights = weights;
        Downsampling = downsampling;
    }

    public IReadOnlyList<double> Weights { get; }

    public TargetDownsampling Downsampling { get; }

    /// <summary>
    /// Halving weights for <paramref name="outputs"/> outputs, as nnU-Net's: 1, ½, ¼, … normalised to sum to 1
    /// (nnU-Net also zeroes the lowest resolution; pass explicit weights for that).
    /// </summary>
    public static DeepSupervision Halving(int outputs, TargetDownsampling downsampling = TargetDownsampling.MaxPool)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        var raw = Enumerable.Range(0, outputs).Select(i => Math.Pow(0.5, i)).ToArray();
        var sum = raw.Sum();
        return new DeepSupervision(raw.Select(w => w / sum).ToArray(), downsampling);
    }

    /// <summary>The weighted sum of <paramref name="loss"/> over the outputs; see the type's summary.</summary>
    internal Tensor Combine(IReadOnlyList<Tensor> logits, Tensor target, Tensor? ignore, LossMode mode,
        Func<Tensor, Tensor, Tensor?, Tensor> loss)
    {
        if (logits.Count != Weights.Count)
        {
            throw new ArgumentException($"{logits.Count} outputs but {Weights.Count} deep-supervision weights.", nameof(logits));
        }
        if (mode == LossMode.Multiclass && Downsampling == TargetDownsampling.MaxPool)
        {
            throw new ArgumentException("max-pooling needs 0/1 masks; downsample multiclass labels with Nearest.");
        }
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (var i = 0; i < logits.Count; i++)
        {
            var size = logits[i].shape[2..];
            var perPixel = ignore is not null && ignore.dim() > 1;
            var term = loss(logits[i],
                Resize(target, size, mode == LossMode.Multiclass, Downsampling),
                perPixel ? Resize(ignore!, size, false, TargetDownsampling.MaxPool) : ignore) * Weights[i];
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="mask"/> (N×C×S, or N×S labels) at spatial <paramref name="size"/>, in its own dtype.</summary>
    private static Tensor Resize(Tensor mask, long[] size, bool labels, TargetDownsampling downsampling)
    {
        if (mask.shape[^size.Length..].SequenceEqual(size))
        {
            return mask;
        }
        var x = (labels ? mask.unsqueeze(1) : mask).to_type(ScalarType.Float32);
        var resized = downsampling == TargetDownsampling.Nearest
            ? nn.functional.interpolate(x, size, mode: InterpolationMode.Nearest)
            : MaxPool(x, size);
        return (labels ? resized.squeeze(1) : resized).to_type(mask.dtype);
    }

    /// <summary>Max-pooling by the whole factor between the sizes (decoder outputs are at ½, ¼, … of the input).</summary>
    private static Tensor MaxPool(Tensor x, long[] size)
    {
        var input = x.shape[2..];
        if (input.Zip(size, (i, o) => o <= 0 || i % o != 0).Any(bad => bad))
        {
            throw new ArgumentException(
                $"max-pooling needs output sizes that divide the target size; [{string.Join(", ", size)}] does not divide [{string.Join(", ", input)}].");
        }
        var factor = input.Zip(size, (i, o) => i / o).ToArray();
        return size.Length == 2 ? nn.functional.max_pool2d(x, factor, factor) : nn.functional.max_pool3d(x, factor, factor);
    }
}
