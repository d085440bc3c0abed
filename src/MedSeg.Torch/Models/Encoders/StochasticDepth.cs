using TorchSharp;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's <c>StochasticDepth(p, "row")</c>: in training, zeroes a residual branch for each sample with
/// probability <c>p</c> and scales the kept ones by <c>1 / (1 − p)</c>; at evaluation it is the identity.
/// </summary>
public sealed class StochasticDepth : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly double p;

    /// <param name="p">Probability of dropping a sample's branch, in [0, 1].</param>
    public StochasticDepth(double p) : base(nameof(StochasticDepth))
    {
        if (p is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "drop probability must be between 0 and 1");
        }
        this.p = p;
    }

    public override Tensor forward(Tensor x)
    {
        if (!training || p == 0)
        {
            return x;
        }
        using var scope = NewDisposeScope();
        var survival = 1 - p;
        long[] shape = [x.shape[0], .. Enumerable.Repeat(1L, (int)x.dim() - 1)];
        var keep = empty(shape, x.dtype, x.device).bernoulli_(survival);
        if (survival > 0)
        {
            keep.div_(survival);
        }
        return (x * keep).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    /// <remarks>Identity at inference, where ONNX graphs run.</remarks>
    public string ToOnnx(OnnxGraph graph, string input) => input;
}
