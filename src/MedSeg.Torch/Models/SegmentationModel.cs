using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// A segmentation network (smp's <c>SegmentationModel</c>): <see cref="nn.Module{T, TResult}.forward"/> takes
/// N×C×H×W (2D) or N×C×D×H×W (3D) and returns mask logits N×classes×(same spatial size). Every spatial size must be
/// a multiple of <see cref="SizeMultiple"/>. Built with <see cref="ModelOptions.Classification"/>, the model also has
/// smp's classification head on its deepest feature (global average pool → dropout → linear) and
/// <see cref="ForwardWithClassification"/> returns both outputs from one pass.
/// </summary>
public abstract class SegmentationModel : nn.Module<Tensor, Tensor>
{
    /// <summary>smp's <c>classification_head</c> (keys <c>classification_head.3.weight/bias</c>), or null.</summary>
    protected readonly nn.Module<Tensor, Tensor>? classification_head;

    /// <param name="deepestChannels">Channels of the feature the classification head reads.</param>
    protected SegmentationModel(string name, int spatialDims, int inChannels, int classes, int sizeMultiple,
        long deepestChannels, ModelOptions options) : base(name)
    {
        if (classes < 1)
        {
            throw new MedSegException($"a model needs at least one class; got {classes}.");
        }
        if (inChannels < 1)
        {
            throw new MedSegException($"a model needs at least one input channel; got {inChannels}.");
        }
        SpatialDims = spatialDims;
        InChannels = inChannels;
        Classes = classes;
        SizeMultiple = sizeMultiple;
        if (options.Classification)
        {
            classification_head = Heads.Classification(deepestChannels, classes, options.ClassificationDropout, spatialDims);
        }
    }

    /// <summary>2 for N×C×H×W input, 3 for N×C×D×H×W.</summary>
    public int SpatialDims { get; }

    /// <summary>Input channels (1 for a slice, K for a 2.5D stack of K slices).</summary>
    public int InChannels { get; }

    /// <summary>Output channels: one logit map per class.</summary>
    public int Classes { get; }

    /// <summary>Every spatial input size must be a multiple of this (the encoder's output stride for 2D models).</summary>
    public int SizeMultiple { get; }

    /// <summary>True when built with a classification head (see <see cref="ForwardWithClassification"/>).</summary>
    public bool HasClassificationHead => classification_head is not null;

    /// <summary>Mask logits, N×classes×(input spatial size).</summary>
    public override Tensor forward(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        using var activations = KeepActivationsReduced();
        return Fp32(Run(PrepareInput(x)).Mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Mask logits (as <c>forward</c>) and per-class "this input contains the class" logits (N×classes) from the
    /// classification head, in one pass.
    /// </summary>
    public (Tensor Mask, Tensor ClassLogits) ForwardWithClassification(Tensor x)
    {
        if (classification_head is null)
        {
            throw new MedSegException($"this {GetName()} has no classification head; create it with classification enabled (ModelOptions.Classification).");
        }
        CheckInput(x);
        using var scope = NewDisposeScope();
        using var activations = KeepActivationsReduced();
        var (mask, deepest) = Run(PrepareInput(x));
        var logits = classification_head.call(Fp32(deepest));
        return (Fp32(mask).MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Whether every layer of <see cref="Run"/> takes bf16/fp16 activations (convolutions, BatchNorm, ReLU, pooling,
    /// upsampling, concatenation): then, inside an <see cref="Autocast"/> scope, activations stay in the reduced type
    /// from the first convolution to the logits (<see cref="Autocast.ActivationsReduced"/>). False (the default) for
    /// networks with layers that need fp32 inputs (linear layers, LayerNorm/GroupNorm, attention, capsule routing):
    /// there each convolution returns fp32.
    /// </summary>
    protected virtual bool KeepsReducedActivations => false;

    private IDisposable? KeepActivationsReduced() =>
        KeepsReducedActivations && Autocast.ReducedType is not null ? Autocast.KeepActivationsReduced() : null;

    /// <summary>The logits (or a feature leaving the network) in fp32, as losses and heads expect.</summary>
    private static Tensor Fp32(Tensor x) => x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);

    /// <summary>The network proper: mask logits and the deepest feature (the classification head's input).</summary>
    protected abstract (Tensor Mask, Tensor Deepest) Run(Tensor x);

    /// <summary>
    /// The inference-mode forward pass as ONNX nodes on <paramref name="input"/>: the mask logits and, with a
    /// classification head, the class logits (see <see cref="Export.OnnxExporter"/>).
    /// </summary>
    public (string Mask, string? ClassLogits) ToOnnx(Export.OnnxGraph graph, string input)
    {
        var (mask, deepest) = RunOnnx(graph, input);
        return (mask, classification_head is null ? null : graph.Apply(classification_head, deepest));
    }

    /// <summary>As <see cref="Run"/>, as ONNX nodes: the mask logits and the deepest feature.</summary>
    protected abstract (string Mask, string Deepest) RunOnnx(Export.OnnxGraph graph, string input);

    /// <summary>The spatial sizes nearest to <paramref name="sizes"/> that this model accepts.</summary>
    public long[] NearestValidSize(IEnumerable<long> sizes) => [.. sizes.Select(s => NearestMultiple(s, SizeMultiple))];

    /// <summary>The multiple of <paramref name="multiple"/> nearest to <paramref name="size"/> (at least one multiple).</summary>
    public static long NearestMultiple(long size, int multiple) =>
        Math.Max(multiple, (long)Math.Round(size / (double)multiple, MidpointRounding.AwayFromZero) * multiple);

    /// <summary>Throws a <see cref="MedSegException"/> when <paramref name="x"/> is not an input this model takes (layout, channels, size).</summary>
    protected void CheckInput(Tensor x)
    {
        if (x.dim() != SpatialDims + 2)
        {
            var layout = SpatialDims == 2 ? "N×C×H×W" : "N×C×D×H×W";
            throw new MedSegException($"{GetName()} takes {layout} input; got a tensor of shape [{string.Join(", ", x.shape)}].");
        }
        if (x.shape[1] != InChannels)
        {
            throw new MedSegException($"{GetName()} was built for {InChannels} input channels; got {x.shape[1]}.");
        }
        var spatial = x.shape[2..];
        if (spatial.Any(s => s % SizeMultiple != 0))
        {
            var option = SpatialDims == 2 ? "--image-size" : "--patch";
            throw new MedSegException(
                $"input size {string.Join("x", spatial)} is not divisible by {SizeMultiple}; use {string.Join("x", NearestValidSize(spatial))} ({option}).");
        }
    }

    /// <summary>
    /// The layers whose outputs are the logits: the output layer and any deep-supervision heads, each ending in a
    /// convolution. Empty for networks whose outputs are not a last layer's logits (capsule lengths).
    /// </summary>
    protected virtual IEnumerable<nn.Module> OutputLayers => [];

    /// <summary>
    /// RetinaNet's prior initialisation: the bias of every output layer's last convolution set to logit(<paramref name="prior"/>),
    /// so every class starts at that probability (see <see cref="Training.TrainConfig.OutputPrior"/>).
    /// </summary>
    /// <exception cref="MedSegException">The network has no output convolution with a bias.</exception>
    public void InitialiseOutputPrior(double prior)
    {
        var convolutions = OutputLayers.Select(layer => layer as Conv ?? layer.modules().OfType<Conv>().LastOrDefault()).ToList();
        if (convolutions.Count == 0 || convolutions.Any(c => c?.Bias is null))
        {
            throw new MedSegException($"--output-prior sets the bias of the output convolution, which {GetName()} does not have; leave the option out.");
        }
        using var noGrad = no_grad();
        foreach (var convolution in convolutions)
        {
            convolution!.Bias!.fill_(Math.Log(prior / (1 - prior)));
        }
    }

    /// <summary>Inside an <see cref="Autocast"/> scope, the channels-last layout oneDNN's (and cuDNN's tensor-core) fast kernels want.</summary>
    protected Tensor PrepareInput(Tensor x) => Autocast.ReducedType is null ? x : Autocast.ChannelsLast(x);
}
