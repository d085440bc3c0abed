using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

/// <summary>Ignored pixels and slices contribute nothing: the loss equals the loss of the kept part alone.</summary>
public sealed class IgnoreMaskTests
{
    public static TheoryData<string, LossMode> Terms()
    {
        var data = new TheoryData<string, LossMode>();
        foreach (var term in new[] { "bce", "bce(pos_weight=2)", "dice", "focal(alpha=0.3)", "tversky(alpha=0.7,beta=0.3)", "focal_tversky", "lovasz", "lovasz(per_image=false)" })
        {
            data.Add(term, LossMode.Multilabel);
        }
        foreach (var term in new[] { "ce", "dice", "focal", "tversky", "focal_tversky", "lovasz", "lovasz(per_image=false)" })
        {
            data.Add(term, LossMode.Multiclass);
        }
        return data;
    }

    private static Tensor Target(LossMode mode, long n, long w, int seed) => mode == LossMode.Multiclass
        ? randint(0, 3, new long[] { n, 4, w }, generator: new Generator((ulong)seed))
        : rand(new long[] { n, 3, 4, w }, generator: new Generator((ulong)seed)).gt(0.6).to_type(ScalarType.Float32);

    [Theory]
    [MemberData(nameof(Terms))]
    public void IgnoredPixelsAreExcluded(string description, LossMode mode)
    {
        using var scope = NewDisposeScope();
        var loss = SegmentationLoss.Parse(description, mode);
        // 2 images of 4×6 pixels; the right 2 columns are ignored and hold arbitrary logits and targets.
        var x = randn(2, 3, 4, 6, generator: new Generator(1)).requires_grad_();
        var t = Target(mode, 2, 6, 2);
        var ignore = zeros(2, 1, 4, 6);
        ignore[.., .., .., 4..] = tensor(1f);
        var value = loss.Compute(x, t, ignore);
        value.backward();

        var kept = loss.Compute(x.detach()[.., .., .., ..4], mode == LossMode.Multiclass ? t[.., .., ..4] : t[.., .., .., ..4]);
        Assert.Equal(kept.item<float>(), value.item<float>(), 5);
        Assert.Equal(0f, x.grad![.., .., .., 4..].abs().max().item<float>());
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public void IgnoredSlicesAreExcluded(string description, LossMode mode)
    {
        using var scope = NewDisposeScope();
        var loss = SegmentationLoss.Parse(description, mode);
        var x = randn(3, 3, 4, 4, generator: new Generator(3)).requires_grad_();
        var t = Target(mode, 3, 4, 4);
        var value = loss.Compute(x, t, tensor(new float[] { 0, 1, 0 }));
        value.backward();

        var keep = tensor(new long[] { 0, 2 });
        var kept = loss.Compute(x.detach().index_select(0, keep), t.index_select(0, keep));
        Assert.Equal(kept.item<float>(), value.item<float>(), 5);
        Assert.Equal(0f, x.grad![1].abs().max().item<float>());
    }

    [Theory]
    [MemberData(nameof(Terms))]
    public void EverythingIgnoredGivesZeroAndNoGradient(string description, LossMode mode)
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 4, generator: new Generator(5)).requires_grad_();
        var value = SegmentationLoss.Parse(description, mode).Compute(x, Target(mode, 2, 4, 6), ones(2));
        value.backward();
        Assert.Equal(0f, value.item<float>());
        Assert.Equal(0f, x.grad!.abs().max().item<float>());
    }

    [Fact]
    public void AMaskOfTheWrongShapeIsRejected()
    {
        using var scope = NewDisposeScope();
        var loss = SegmentationLoss.Parse("bce");
        Assert.Throws<ArgumentException>(() => loss.Compute(zeros(2, 1, 4, 4), zeros(2, 1, 4, 4), zeros(3)));
        Assert.Throws<ArgumentException>(() => loss.Compute(zeros(2, 1, 4, 4), zeros(2, 1, 4, 4), zeros(2, 1, 2, 2)));
    }
}
