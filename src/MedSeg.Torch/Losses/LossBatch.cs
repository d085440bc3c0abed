using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// One batch of logits and targets in the flat form every loss term works on: spatial axes flattened to P pixels,
/// targets as 0/1 per class (one-hot in multiclass mode) and the ignore mask turned into a keep mask.
/// Its tensors belong to the caller's dispose scope.
/// </summary>
internal sealed class LossBatch
{
    private LossBatch(LossMode mode, Tensor logits, Tensor target, Tensor? labels, Tensor? keep)
    {
        Mode = mode;
        Logits = logits;
        Target = target;
        Labels = labels;
        Keep = keep;
    }

    public LossMode Mode { get; }

    /// <summary>Logits N×C×P (float32).</summary>
    public Tensor Logits { get; }

    /// <summary>Targets N×C×P of 0/1 (float32): the masks, or in multiclass mode the one-hot labels.</summary>
    public Tensor Target { get; }

    /// <summary>Class indices N×1×P (int64) in multiclass mode; null otherwise.</summary>
    public Tensor? Labels { get; }

    /// <summary>1 where a pixel counts and 0 where it is ignored, N×1×P (float32); null when every pixel counts.</summary>
    public Tensor? Keep { get; }

    public long Classes => Logits.shape[1];

    /// <summary>
    /// Checks the shapes for <paramref name="mode"/> (see <see cref="LossMode"/>) and flattens them.
    /// <paramref name="ignore"/> is null, N (whole slices) or N×1×S (pixels); non-zero marks what is excluded.
    /// </summary>
    public static LossBatch Of(Tensor logits, Tensor target, Tensor? ignore, LossMode mode)
    {
        if (logits.dim() < 3)
        {
            throw new ArgumentException($"logits must be N×C×H×W or N×C×D×H×W, not [{string.Join(", ", logits.shape)}].", nameof(logits));
        }
        var n = logits.shape[0];
        var classes = logits.shape[1];
        var spatial = logits.shape[2..];
        if (mode == LossMode.Binary && classes != 1)
        {
            throw new ArgumentException($"binary mode needs one logit channel, not {classes}.", nameof(logits));
        }
        var flatLogits = logits.to_type(ScalarType.Float32).reshape(n, classes, -1);
        Tensor flatTarget;
        Tensor? labels = null;
        if (mode == LossMode.Multiclass)
        {
            Expect(target, [n, .. spatial], "multiclass targets (class indices)");
            labels = target.to_type(ScalarType.Int64).reshape(n, 1, -1);
            if (labels.numel() > 0 && (labels.min().item<long>() < 0 || labels.max().item<long>() >= classes))
            {
                throw new ArgumentException($"multiclass targets must be class indices 0…{classes - 1}.", nameof(target));
            }
            flatTarget = nn.functional.one_hot(labels.squeeze(1), classes).permute(0, 2, 1).to_type(ScalarType.Float32);
        }
        else
        {
            if (mode == LossMode.Binary && target.dim() == logits.dim() - 1)
            {
                target = target.unsqueeze(1);
            }
            Expect(target, logits.shape, "targets");
            flatTarget = target.to_type(ScalarType.Float32).reshape(n, classes, -1);
        }
        return new LossBatch(mode, flatLogits, flatTarget, labels, KeepMask(ignore, n, spatial));
    }

    /// <summary>The mean of <paramref name="values"/> (N×C×P or N×1×P) over kept pixels; 0 when nothing is kept.</summary>
    public Tensor KeptMean(Tensor values)
    {
        if (Keep is null)
        {
            return values.mean();
        }
        var kept = Keep.sum() * values.shape[1];
        return (values * Keep).sum() / kept.clamp_min(1);
    }

    /// <summary>Log-probability of each pixel's own class, N×1×P (multiclass mode).</summary>
    public Tensor LogProbabilityOfLabel() => Logits.log_softmax(1).gather(1, Labels!);

    /// <summary>Per-class probabilities N×C×P: sigmoid, or softmax over classes in multiclass mode.</summary>
    public Tensor Probabilities() => Mode == LossMode.Multiclass ? Logits.softmax(1) : Logits.sigmoid();

    private static Tensor? KeepMask(Tensor? ignore, long n, long[] spatial)
    {
        if (ignore is null)
        {
            return null;
        }
        if (ignore.dim() == 1)
        {
            Expect(ignore, [n], "a per-slice ignore mask");
            var pixels = spatial.Aggregate(1L, (a, b) => a * b);
            return ignore.eq(0).to_type(ScalarType.Float32).reshape(n, 1, 1).expand(n, 1, pixels);
        }
        Expect(ignore, [n, 1, .. spatial], "a per-pixel ignore mask");
        return ignore.eq(0).to_type(ScalarType.Float32).reshape(n, 1, -1);
    }

    private static void Expect(Tensor tensor, long[] shape, string what)
    {
        if (!tensor.shape.SequenceEqual(shape))
        {
            throw new ArgumentException($"{what} must have shape [{string.Join(", ", shape)}], not [{string.Join(", ", tensor.shape)}].");
        }
    }
}
