using MedSeg.Core;
using MedSeg.Torch.Export;
using MedSeg.Torch.Models.Volumetric;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models.Capsules;

/// <summary>
/// A convolutional capsule layer (SegCaps' <c>ConvCapsuleLayer</c> / <c>DeconvCapsuleLayer</c>, 2D or 3D): one
/// convolution — strided, or transposed for the deconvolutional capsules of the up path — turns the pose vector of
/// every input capsule into votes for every output capsule type, its kernel shared by all input capsule types; the
/// votes of each position's window are then routed (<see cref="DynamicRouting"/>) into the output capsules.
/// Capsules are laid out N×types×atoms×S. Keys: <c>conv.weight</c> (no convolution bias) and <c>bias</c>
/// (1×1×types×atoms×1…, initialised to 0.1 as both reference implementations do).
/// </summary>
public sealed class ConvCapsule : nn.Module<Tensor, Tensor>, IOnnxModule
{
    private readonly nn.Module<Tensor, Tensor> conv;
    private readonly Parameter bias;
    private readonly long inputTypes;
    private readonly long inputAtoms;
    private readonly long outputTypes;
    private readonly long outputAtoms;
    private readonly int routings;

    /// <param name="kernelSize">Kernel of the convolution (odd, "same" padding) or of the transposed one (4, stride 2: twice the size).</param>
    /// <param name="stride">1 or 2 for a convolution; the upsampling factor (2) of a transposed one.</param>
    /// <param name="transposed">True for a deconvolutional capsule layer.</param>
    /// <param name="routings">Routing iterations (at least 1).</param>
    public ConvCapsule(long inputTypes, long inputAtoms, long outputTypes, long outputAtoms, long kernelSize, long stride,
        int routings, int spatialDims, bool transposed = false) : base(nameof(ConvCapsule))
    {
        if (routings < 1)
        {
            throw new MedSegException($"capsule routing needs at least 1 iteration; got {routings} (--routings).");
        }
        conv = transposed
            ? new ConvTranspose(inputAtoms, outputTypes * outputAtoms, kernelSize, stride, (kernelSize - stride) / 2, bias: false, spatialDims)
            : new Conv(inputAtoms, outputTypes * outputAtoms, kernelSize, stride, kernelSize / 2, bias: false, spatialDims: spatialDims);
        bias = new Parameter(full([1, 1, outputTypes, outputAtoms, .. Enumerable.Repeat(1L, spatialDims)], 0.1f));
        this.inputTypes = inputTypes;
        this.inputAtoms = inputAtoms;
        this.outputTypes = outputTypes;
        this.outputAtoms = outputAtoms;
        this.routings = routings;
        RegisterComponents();
    }

    /// <summary>Output capsules N×types×atoms×S, squashed.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return DynamicRouting.Squash(Preactivation(x), 2).MoveToOuterDisposeScope();
    }

    /// <summary>The routed, not yet squashed output capsules N×types×atoms×S (the final layer's lengths come from it).</summary>
    public Tensor Preactivation(Tensor x)
    {
        if (x.dim() < 4 || x.shape[1] != inputTypes || x.shape[2] != inputAtoms)
        {
            throw new ArgumentException($"{GetName()} takes N×{inputTypes}×{inputAtoms}×S capsules, not [{string.Join(", ", x.shape)}].", nameof(x));
        }
        var n = x.shape[0];
        var votes = conv.call(x.reshape([n * inputTypes, inputAtoms, .. x.shape[3..]]));
        votes = votes.reshape([n, inputTypes, outputTypes, outputAtoms, .. votes.shape[2..]]);
        return DynamicRouting.Preactivation(votes, bias, routings);
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, string input) => DynamicRouting.SquashOnnx(graph, PreactivationOnnx(graph, input), 2);

    /// <summary><see cref="Preactivation"/> as ONNX nodes (spatial sizes dynamic).</summary>
    public string PreactivationOnnx(OnnxGraph graph, string input)
    {
        var flat = graph.Node("Reshape", [input, graph.Concat([graph.Int64s(-1, inputAtoms), graph.ShapeSlice(input, 3)], 0)]);
        var votes = graph.Apply(conv, flat);
        votes = graph.Node("Reshape", [votes, graph.Concat([graph.Int64s(-1, inputTypes, outputTypes, outputAtoms), graph.ShapeSlice(votes, 2)], 0)]);
        return DynamicRouting.PreactivationOnnx(graph, votes, graph.Weight(this, "bias", bias), outputTypes, routings);
    }
}
