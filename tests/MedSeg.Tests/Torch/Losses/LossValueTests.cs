using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

/// <summary>Every loss term against values worked out by hand on tiny tensors; the arithmetic is in the comments.</summary>
public sealed class LossValueTests
{
    private static readonly double Ln2 = Math.Log(2);

    // The shared sigmoid case: logits (0, ln 3) → p = (0.5, 0.75), targets (1, 0).
    private static (Tensor Logits, Tensor Target) Pair() =>
        (tensor(new float[] { 0f, MathF.Log(3f) }, [1, 1, 1, 2]), tensor(new float[] { 1f, 0f }, [1, 1, 1, 2]));

    private static double Loss(string description, Tensor logits, Tensor target, LossMode mode = LossMode.Multilabel) =>
        SegmentationLoss.Parse(description, mode).Compute(logits, target).item<float>();

    [Fact]
    public void Bce()
    {
        using var scope = NewDisposeScope();
        var (x, t) = Pair();
        // mean(−ln 0.5, −ln 0.25) = (ln 2 + 2 ln 2) / 2 = 1.5 ln 2.
        Assert.Equal(1.5 * Ln2, Loss("bce", x, t), 5);
        // pos_weight 3 triples the foreground pixel: (3 ln 2 + 2 ln 2) / 2 = 2.5 ln 2.
        Assert.Equal(2.5 * Ln2, Loss("bce(pos_weight=3)", x, t), 5);
    }

    [Fact]
    public void BceAgreesWithLibtorch()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 4, generator: new Generator(3));
        var t = rand(2, 3, 4, 4, generator: new Generator(4)).gt(0.5).to_type(ScalarType.Float32);
        var reference = nn.functional.binary_cross_entropy_with_logits(x, t).item<float>();
        Assert.Equal(reference, Loss("bce", x, t), 5);
    }

    [Fact]
    public void Dice()
    {
        using var scope = NewDisposeScope();
        var (x, t) = Pair();
        // Dice = 2·0.5 / (1.25 + 1) = 4/9; loss = 5/9.
        Assert.Equal(5.0 / 9, Loss("dice", x, t), 5);
        // smooth 1: 1 − (2·0.5 + 1) / (2.25 + 1) = 1 − 2/3.25.
        Assert.Equal(1 - 2 / 3.25, Loss("dice(smooth=1)", x, t), 5);
        // A second class absent from the target adds 0 but counts in smp's mean over classes: (5/9 + 0) / 2.
        var x2 = cat([x, x], 1);
        var t2 = cat([t, zeros_like(t)], 1);
        Assert.Equal(5.0 / 18, Loss("dice", x2, t2), 5);
    }

    [Fact]
    public void Focal()
    {
        using var scope = NewDisposeScope();
        var (x, t) = Pair();
        // pixel 1: BCE ln 2, pₜ = 0.5, (1 − 0.5)² = 0.25 → 0.25 ln 2.
        // pixel 2: BCE ln 4 = 2 ln 2, pₜ = 0.25, 0.75² = 0.5625 → 1.125 ln 2. Mean 0.6875 ln 2.
        Assert.Equal(0.6875 * Ln2, Loss("focal", x, t), 5);
        // α = 0.25 weighs foreground by 0.25 and background by 0.75: (0.0625 + 0.84375) / 2 · ln 2.
        Assert.Equal(0.453125 * Ln2, Loss("focal(alpha=0.25)", x, t), 5);
        // γ = 0 is plain BCE.
        Assert.Equal(1.5 * Ln2, Loss("focal(gamma=0)", x, t), 5);
    }

    [Fact]
    public void TverskyAndFocalTversky()
    {
        using var scope = NewDisposeScope();
        var (x, t) = Pair();
        // TP = 0.5, FP = 0.75, FN = 0.5; α = 0.7 (FP), β = 0.3 (FN): T = 0.5 / (0.5 + 0.525 + 0.15) = 0.5 / 1.175.
        var miss = 1 - 0.5 / 1.175;
        Assert.Equal(miss, Loss("tversky(alpha=0.7,beta=0.3)", x, t), 5);
        Assert.Equal(Math.Pow(miss, 0.75), Loss("focal_tversky(alpha=0.7,beta=0.3)", x, t), 5);
        Assert.Equal(Math.Pow(miss, 2), Loss("focal_tversky(alpha=0.7,beta=0.3,gamma=2)", x, t), 5);
        // α = β = ½ is Dice.
        Assert.Equal(5.0 / 9, Loss("tversky", x, t), 5);
    }

    [Fact]
    public void LovaszHinge()
    {
        using var scope = NewDisposeScope();
        // x = (1, −1, 2), t = (1, 1, 0): signs (1, 1, −1), errors 1 − x·sign = (0, 2, 3).
        // Sorted: 3 (bg), 2 (fg), 0 (fg); foreground 2: intersection (2, 1, 0), union (3, 3, 3),
        // Jaccard loss (1/3, 2/3, 1), its steps (1/3, 1/3, 1/3): loss = (3 + 2 + 0) / 3.
        var x = tensor(new float[] { 1, -1, 2 }, [1, 1, 1, 3]);
        var t = tensor(new float[] { 1, 1, 0 }, [1, 1, 1, 3]);
        Assert.Equal(5.0 / 3, Loss("lovasz", x, t), 5);
        // A second image, perfectly fitted: errors 1 − 5 = −4 everywhere. Per image: (5/3 + 0) / 2.
        // Over the batch: sorted 3 (bg), 2 (fg), 0 (fg), then the −4s; foreground 4 now, so intersection
        // (4, 3, 2), union (5, 5, 5), Jaccard loss (0.2, 0.4, 0.6), steps 0.2 each: (3 + 2 + 0)·0.2 = 1.
        var x2 = cat([x, tensor(new float[] { 5, 5, -5 }, [1, 1, 1, 3])], 0);
        var t2 = cat([t, t], 0);
        Assert.Equal(5.0 / 6, Loss("lovasz", x2, t2), 5);
        Assert.Equal(1.0, Loss("lovasz(per_image=false)", x2, t2), 5);
    }

    // The shared softmax case: class-1 logits (ln 3, 0), class-0 logits 0 → p1 = (0.75, 0.5), p0 = (0.25, 0.5);
    // labels (1, 0).
    private static (Tensor Logits, Tensor Labels) Multiclass() =>
        (tensor(new float[] { 0f, 0f, MathF.Log(3f), 0f }, [1, 2, 1, 2]), tensor(new long[] { 1, 0 }, [1, 1, 2]));

    [Fact]
    public void CrossEntropy()
    {
        using var scope = NewDisposeScope();
        var (x, labels) = Multiclass();
        // mean(−ln 0.75, −ln 0.5) = (ln 4/3 + ln 2) / 2.
        Assert.Equal((Math.Log(4.0 / 3) + Ln2) / 2, Loss("ce", x, labels, LossMode.Multiclass), 5);
    }

    [Fact]
    public void MulticlassFocalDiceAndLovasz()
    {
        using var scope = NewDisposeScope();
        var (x, labels) = Multiclass();
        // Softmax focal γ = 2: mean(0.25²·ln 4/3, 0.5²·ln 2).
        Assert.Equal((0.0625 * Math.Log(4.0 / 3) + 0.25 * Ln2) / 2, Loss("focal", x, labels, LossMode.Multiclass), 5);
        // Dice on one-hot targets: class 0: 2·0.5 / (0.75 + 1) = 4/7; class 1: 2·0.75 / (1.25 + 1) = 2/3.
        // Loss mean(3/7, 1/3) = 8/21.
        Assert.Equal(8.0 / 21, Loss("dice", x, labels, LossMode.Multiclass), 5);
        // Lovász-softmax, class 0: fg (0, 1), errors |fg − p0| = (0.25, 0.5); sorted 0.5 (fg), 0.25;
        // intersection (0, 0), union (1, 2) → Jaccard loss (1, 1), steps (1, 0) → 0.5.
        // Class 1: fg (1, 0), errors (0.25, 0.5); sorted 0.5 (bg), 0.25 (fg); intersection (1, 0), union (2, 2)
        // → (0.5, 1), steps (0.5, 0.5) → 0.25 + 0.125 = 0.375. Mean over present classes 0.4375.
        Assert.Equal(0.4375, Loss("lovasz", x, labels, LossMode.Multiclass), 5);
    }

    [Fact]
    public void BinaryModeAcceptsTargetsWithoutAChannelAxis()
    {
        using var scope = NewDisposeScope();
        var (x, t) = Pair();
        Assert.Equal(1.5 * Ln2, Loss("bce", x, t.squeeze(1), LossMode.Binary), 5);
        Assert.Throws<ArgumentException>(() => Loss("bce", cat([x, x], 1), cat([t, t], 1), LossMode.Binary));
    }

    [Theory]
    [InlineData("bce", 0.69314718)] // −ln(1 − 0.5) at every pixel.
    [InlineData("focal", 0.17328680)] // 0.5²·ln 2.
    [InlineData("dice", 0)] // the only class is absent: no Dice loss.
    [InlineData("tversky(alpha=0.7,beta=0.3)", 0)]
    [InlineData("focal_tversky", 0)]
    [InlineData("lovasz", 1)] // no foreground: errors 1 + x = 1, Jaccard steps (1, 0, 0, 0) → relu(1).
    public void AllEmptyTargets(string description, double expected)
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 2, 2).requires_grad_();
        var loss = SegmentationLoss.Parse(description).Compute(x, zeros(1, 1, 2, 2));
        Assert.Equal(expected, loss.item<float>(), 5);
        loss.backward();
        var grad = x.grad!.flatten().data<float>().ToArray();
        Assert.All(grad, g => Assert.True(g >= 0 && float.IsFinite(g), "no logit may be pushed up on an empty target"));
        Assert.Equal(expected > 0, grad.Any(g => g > 0));
    }

    [Fact]
    public void ThreeDimensionalLogitsGiveTheSameLossAsTheirFlatView()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 2, 2, 3, 3], generator: new Generator(5));
        var t = rand([2, 2, 2, 3, 3], generator: new Generator(6)).gt(0.6).to_type(ScalarType.Float32);
        foreach (var term in new[] { "bce", "dice", "focal", "tversky", "focal_tversky", "lovasz" })
        {
            Assert.Equal(Loss(term, x.reshape(2, 2, 2, 9), t.reshape(2, 2, 2, 9)), Loss(term, x, t), 5);
        }
    }
}
