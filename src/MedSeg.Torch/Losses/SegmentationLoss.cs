using System.Globalization;
using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Losses;

/// <summary>
/// A weighted sum of multilabel segmentation losses on logits N×C×H×W against 0/1 targets of the same shape
/// (one sigmoid channel per class). Written as <c>bce:0.5+dice:0.5</c>; a term without a weight has weight 1.
/// Terms: <c>bce</c> (binary cross-entropy with logits, mean over pixels) and <c>dice</c> (smp's soft Dice loss:
/// per class over the batch, 1 − Dice, classes absent from both target and batch contribute 0).
/// </summary>
public sealed class SegmentationLoss
{
    private static readonly string[] KnownTerms = ["bce", "dice"];

    /// <summary>The parsed terms (name, weight) in written order.</summary>
    public IReadOnlyList<(string Name, double Weight)> Terms { get; }

    private SegmentationLoss(IReadOnlyList<(string, double)> terms) => Terms = terms;

    /// <summary>Parses a loss description, throwing a <see cref="MedSegException"/> naming <c>--loss</c> when it is invalid.</summary>
    public static SegmentationLoss Parse(string text)
    {
        var terms = new List<(string, double)>();
        foreach (var part in text.Split('+', StringSplitOptions.TrimEntries))
        {
            var pieces = part.Split(':', StringSplitOptions.TrimEntries);
            var name = pieces[0];
            var weight = 1.0;
            if (!KnownTerms.Contains(name) || pieces.Length > 2
                || (pieces.Length == 2 && !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out weight)))
            {
                throw new MedSegException(
                    $"--loss '{text}': term '{part}' is not valid; write terms like bce:0.5+dice:0.5 from: {string.Join(", ", KnownTerms)}.");
            }
            terms.Add((name, weight));
        }
        return new SegmentationLoss(terms);
    }

    /// <summary>The scalar loss; <paramref name="logits"/> and <paramref name="target"/> are N×C×H×W float tensors.</summary>
    public Tensor Compute(Tensor logits, Tensor target)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var (name, weight) in Terms)
        {
            var term = name switch
            {
                "bce" => nn.functional.binary_cross_entropy_with_logits(logits, target),
                _ => SoftDice(logits, target),
            };
            var weighted = term.mul(weight);
            total = total is null ? weighted : total.add(weighted);
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>smp's multilabel Dice loss: 1 − 2·Σpt / (Σp + Σt) per class over batch and pixels, averaged over classes present in the target.</summary>
    public static Tensor SoftDice(Tensor logits, Tensor target, double eps = 1e-7)
    {
        using var scope = NewDisposeScope();
        var probs = logits.sigmoid();
        long[] dims = [0, 2, 3];
        var intersection = (probs * target).sum(dims);
        var cardinality = (probs + target).sum(dims);
        var dice = (intersection * 2.0) / cardinality.clamp_min(eps);
        var present = target.sum(dims).gt(0).to_type(logits.dtype);
        return ((1.0 - dice) * present).mean().MoveToOuterDisposeScope();
    }
}
