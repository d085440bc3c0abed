using MedSeg.Torch.Losses;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

public sealed class SegmentationClassificationLossTests
{
    [Fact]
    public void PresenceIsDerivedFromTheMasks()
    {
        using var scope = NewDisposeScope();
        var masks = zeros(2, 3, 2, 2);
        masks[0, 1, 1, 1] = tensor(1f);
        masks[1, 2, 0, 0] = tensor(1f);
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 1f], ClassPresence.Of(masks, LossMode.Multilabel, 3).flatten().data<float>().ToArray());
        var binary = zeros(2, 2, 2);
        binary[1, 0, 1] = tensor(1f);
        Assert.Equal([0f, 1f], ClassPresence.Of(binary, LossMode.Binary, 1).flatten().data<float>().ToArray());
        var labels = tensor(new long[] { 0, 0, 0, 2 }, [1, 2, 2]);
        Assert.Equal([1f, 0f, 1f], ClassPresence.Of(labels, LossMode.Multiclass, 3).flatten().data<float>().ToArray());
    }

    [Fact]
    public void JointLossAddsTheWeightedClassificationBce()
    {
        using var scope = NewDisposeScope();
        // One slice, class 0 present, class 1 absent; class logits ln 3 (p = 0.75) for both:
        // BCE mean(−ln 0.75, −ln 0.25) = (ln 4/3 + ln 4) / 2.
        var target = zeros(1, 2, 2, 2);
        target[0, 0, 0, 0] = tensor(1f);
        var logits = randn(1, 2, 2, 2);
        var classLogits = full(1, 2, MathF.Log(3f));
        var classification = (Math.Log(4.0 / 3) + Math.Log(4)) / 2;
        var segmentation = SegmentationLoss.Parse("bce+dice");
        var joint = new SegmentationClassificationLoss(segmentation, 0.4);
        var expected = segmentation.Compute(logits, target).item<float>() + 0.4 * classification;
        Assert.Equal(expected, joint.Compute(logits, classLogits, target).item<float>(), 1e-5); // within 1e-5: rounding both to 5 places fails at a rounding boundary
    }

    [Fact]
    public void IgnoredSlicesStillTrainTheClassifier()
    {
        using var scope = NewDisposeScope();
        var target = ones(1, 1, 2, 2);
        var logits = zeros(1, 1, 2, 2).requires_grad_();
        var classLogits = zeros(1, 1).requires_grad_();
        var joint = new SegmentationClassificationLoss(SegmentationLoss.Parse("bce+dice"), 1.0);
        var value = joint.Compute(logits, classLogits, target, ignore: ones(1));
        value.backward();
        // Segmentation excluded; classification BCE of logit 0 against presence 1 is ln 2.
        Assert.Equal(Math.Log(2), value.item<float>(), 5);
        Assert.Equal(0f, logits.grad!.abs().max().item<float>());
        Assert.True(classLogits.grad!.item<float>() < 0, "the present class's logit must grow");
    }
}
