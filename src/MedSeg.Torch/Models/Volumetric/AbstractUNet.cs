using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Volumetric;

/// <summary>
/// pytorch-3dunet's <c>AbstractUNet</c>: <c>num_levels</c> encoder levels of widths <c>f_maps</c>·2^k (the first without
/// pooling), decoder levels back up, and a 1×1 <c>final_conv</c>. Keys follow pytorch-3dunet
/// (<c>encoders.N.basic_module.*</c>, <c>decoders.N.*</c>, <c>final_conv.*</c>). Returns logits: pytorch-3dunet's
/// eval-time sigmoid/softmax is left to the caller, as for every MedSeg model. With
/// <see cref="ModelOptions.DeepSupervision"/>, 1×1 <c>deep_supervision_heads</c> on the decoder stages between the
/// coarsest and the last (nnU-Net gives the coarsest stage's output weight 0, so it gets no head) serve the training loss.
/// </summary>
public abstract class AbstractUNet : SegmentationModel, IDeepSupervisedModel
{
    protected readonly ModuleList<UNetEncoderStage> encoders;
    protected readonly ModuleList<UNetDecoderStage> decoders;
    protected readonly nn.Module<Tensor, Tensor> final_conv;

    /// <summary>Auxiliary heads, finest first: head k reads decoder stage <c>decoders.Count - 2 - k</c> (at 2^-(k+1) of the input size); none for the coarsest stage.</summary>
    protected readonly ModuleList<nn.Module<Tensor, Tensor>>? deep_supervision_heads;

    /// <param name="residual">ResNetBlock levels, transposed-convolution upsampling and sum joining (ResidualUNet3D); otherwise DoubleConv, nearest upsampling and concatenation (UNet3D).</param>
    /// <param name="layerOrder">pytorch-3dunet's <c>layer_order</c> (see <see cref="LayerOrder"/>).</param>
    /// <param name="numGroups">GroupNorm groups (pytorch-3dunet's <c>num_groups</c>).</param>
    protected AbstractUNet(string name, bool residual, int inChannels, int classes, int fMaps, int numLevels, string layerOrder,
        int numGroups, int spatialDims, ModelOptions options)
        : base(name, spatialDims, inChannels, classes, 1 << (Levels(numLevels) - 1), (long)fMaps << (numLevels - 1), options)
    {
        LayerOrder.Check(layerOrder);
        if (fMaps < 1)
        {
            throw new MedSegException($"{name} needs a positive feature width (f_maps); got {fMaps}.");
        }
        var widths = Enumerable.Range(0, numLevels).Select(k => (long)fMaps << k).ToArray();
        nn.Module<Tensor, Tensor> Block(long inCh, long outCh, bool encoder) => residual
            ? new ResNetBlock(inCh, outCh, layerOrder, numGroups, spatialDims)
            : LayerOrder.DoubleConv(inCh, outCh, encoder, layerOrder, numGroups, spatialDims);

        encoders = new ModuleList<UNetEncoderStage>();
        for (var k = 0; k < numLevels; k++)
        {
            encoders.Add(new UNetEncoderStage(Block(k == 0 ? inChannels : widths[k - 1], widths[k], encoder: true), pool: k > 0, spatialDims));
        }
        decoders = new ModuleList<UNetDecoderStage>();
        for (var k = numLevels - 1; k > 0; k--)
        {
            var (coarse, fine) = (widths[k], widths[k - 1]);
            decoders.Add(new UNetDecoderStage(Block(residual ? fine : coarse + fine, fine, encoder: false), residual, coarse, fine, spatialDims));
        }
        final_conv = new Conv(fMaps, classes, 1, spatialDims: spatialDims);
        if (options.DeepSupervision)
        {
            deep_supervision_heads = new ModuleList<nn.Module<Tensor, Tensor>>();
            for (var k = 1; k < numLevels - 2; k++)
            {
                deep_supervision_heads.Add(new Conv(widths[k], classes, 1, spatialDims: spatialDims));
            }
        }
        RegisterComponents();
    }

    /// <inheritdoc />
    protected override IEnumerable<nn.Module> OutputLayers => [final_conv, .. deep_supervision_heads ?? []];

    /// <inheritdoc />
    public int DeepSupervisionOutputs => 1 + (deep_supervision_heads?.Count ?? 0);

    /// <inheritdoc />
    public IReadOnlyList<Tensor> ForwardDeepSupervision(Tensor x)
    {
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (outputs, _) = Decode(PrepareInput(x), auxiliary: true);
        return [.. outputs.Select(o => o.MoveToOuterDisposeScope())];
    }

    private static int Levels(int numLevels) => numLevels >= 2
        ? numLevels
        : throw new MedSegException($"a U-Net needs at least 2 levels; got {numLevels}.");

    /// <inheritdoc />
    protected override (Tensor Mask, Tensor Deepest) Run(Tensor x)
    {
        var (outputs, deepest) = Decode(x, auxiliary: false);
        return (outputs[0], deepest);
    }

    /// <summary>The full-resolution logits (then, with <paramref name="auxiliary"/>, each head's, finest first) and the deepest feature.</summary>
    private (List<Tensor> Outputs, Tensor Deepest) Decode(Tensor x, bool auxiliary)
    {
        var skips = new List<Tensor>();
        foreach (var encoder in encoders)
        {
            x = encoder.call(x);
            skips.Add(x);
        }
        var deepest = x;
        var stages = new List<Tensor>();
        for (var i = 0; i < decoders.Count; i++)
        {
            x = decoders[i].call(skips[^(i + 2)], x);
            stages.Add(x);
        }
        var outputs = new List<Tensor> { final_conv.call(x) };
        if (auxiliary && deep_supervision_heads is not null)
        {
            outputs.AddRange(deep_supervision_heads.Select((head, k) => head.call(stages[^(k + 2)])));
        }
        return (outputs, deepest);
    }

    /// <inheritdoc />
    protected override (string Mask, string Deepest) RunOnnx(OnnxGraph graph, string input)
    {
        var skips = new List<string>();
        var x = input;
        foreach (var encoder in encoders)
        {
            x = graph.Apply(encoder, x);
            skips.Add(x);
        }
        var deepest = x;
        for (var i = 0; i < decoders.Count; i++)
        {
            x = decoders[i].ToOnnx(graph, skips[^(i + 2)], x);
        }
        return (graph.Apply(final_conv, x), deepest);
    }
}
