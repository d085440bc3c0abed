using MedSeg.Torch.Losses;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

/// <summary>Every term's gradient moves the logits towards the target.</summary>
public sealed class LossGradientTests
{
    // Logits chosen without ties so that every Lovász step is positive: the hinge errors are
    // fg 1 − x = (1.2, 1.0), bg 1 + x = (1.1, 1.3), sorted bg, fg, bg, fg.
    private static readonly float[] Logits = [-0.2f, 0.0f, 0.1f, 0.3f];
    private static readonly float[] Foreground = [1, 1, 0, 0];

    [Theory]
    [InlineData("bce")]
    [InlineData("bce(pos_weight=4)")]
    [InlineData("dice")]
    [InlineData("focal")]
    [InlineData("focal(alpha=0.25,gamma=1)")]
    [InlineData("tversky(alpha=0.7,beta=0.3)")]
    [InlineData("focal_tversky")]
    [InlineData("lovasz")]
    [InlineData("lovasz(per_image=false)")]
    [InlineData("bce:0.5+dice:0.5")]
    public void SigmoidTermsPushForegroundUpAndBackgroundDown(string description)
    {
        using var scope = NewDisposeScope();
        var x = tensor(Logits, [1, 1, 2, 2]).requires_grad_();
        var t = tensor(Foreground, [1, 1, 2, 2]);
        SegmentationLoss.Parse(description).Compute(x, t).backward();
        AssertTowardsTarget(x.grad!.flatten().data<float>().ToArray());
    }

    [Theory]
    [InlineData("ce")]
    [InlineData("dice")]
    [InlineData("focal")]
    [InlineData("tversky(alpha=0.3,beta=0.7)")]
    [InlineData("focal_tversky")]
    [InlineData("lovasz")]
    [InlineData("lovasz(per_image=false)")]
    public void SoftmaxTermsPushTheLabelledClassUp(string description)
    {
        using var scope = NewDisposeScope();
        // Class 0 logits 0, class 1 logits as above; labels 1 where the sigmoid case has foreground.
        var x = tensor((float[])[0, 0, 0, 0, .. Logits], [1, 2, 2, 2]).requires_grad_();
        var labels = tensor(Foreground.Select(f => (long)f).ToArray(), [1, 2, 2]);
        SegmentationLoss.Parse(description, LossMode.Multiclass).Compute(x, labels).backward();
        var grad = x.grad!.data<float>().ToArray();
        AssertTowardsTarget(grad[4..]);
        AssertTowardsTarget(grad[..4].Select(g => -g).ToArray());
    }

    private static void AssertTowardsTarget(float[] grad)
    {
        Assert.True(grad[0] < 0 && grad[1] < 0, $"foreground logits must grow: [{string.Join(", ", grad)}]");
        Assert.True(grad[2] > 0 && grad[3] > 0, $"background logits must shrink: [{string.Join(", ", grad)}]");
    }
}
