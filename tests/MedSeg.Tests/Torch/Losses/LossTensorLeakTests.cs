using MedSeg.Torch.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Losses;

/// <summary>Computing and back-propagating every term leaves no live tensor behind.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class LossTensorLeakTests
{
    [Fact]
    public void LiveTensorCountStaysFlat()
    {
        var sigmoid = SegmentationLoss.Parse("bce(pos_weight=2)+dice+focal(alpha=0.25)+tversky+focal_tversky+lovasz")
            .WithDeepSupervision(DeepSupervision.Halving(2));
        var joint = new SegmentationClassificationLoss(sigmoid, 0.5);
        var softmax = SegmentationLoss.Parse("ce+dice+focal+focal_tversky+lovasz(per_image=false)", LossMode.Multiclass);
        var counts = new List<long>();
        for (var step = 0; step < 5; step++)
        {
            using (var scope = NewDisposeScope())
            {
                var x = randn(2, 3, 8, 8).requires_grad_();
                var aux = randn(2, 3, 4, 4).requires_grad_();
                var t = rand(2, 3, 8, 8).gt(0.5).to_type(ScalarType.Float32);
                joint.Compute([x, aux], randn(2, 3), t, ignore: tensor(new float[] { 0, 1 })).backward();
                softmax.Compute(x, randint(0, 3, [2, 8, 8]), zeros(2, 1, 8, 8)).backward();
            }
            counts.Add(torch.Tensor.TotalCount);
        }
        Assert.Equal(counts[1], counts[^1]);
    }
}
