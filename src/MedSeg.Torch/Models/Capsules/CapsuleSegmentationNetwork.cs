using MedSeg.Core;
using MedSeg.Torch.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MedSeg.Torch.Models.Capsules;

/// <summary>
/// The capsule U-Net of SegCaps R3 (LaLonde &amp; Bagci 2018), in 2D as <c>segcaps</c> and in 3D as <c>capsnet3d</c>
/// (Avesta et al. 2022, whose public code keeps SegCaps' layout with a wider first up level): conv1 (5×5, 16 maps,
/// ReLU) as one capsule type of 16 atoms; primary capsules (stride 2, one routing); convolutional capsules
/// (kernel 5) of 2·16, 4·16, 4·32, 8·32, 8·64, 8·32 types·atoms, strides 1, 2, 1, 2, 1; three deconvolutional
/// capsule layers (kernel 4, stride 2), each followed by concatenation with the capsules of the same resolution on the
/// down path and a convolutional capsule layer; and the final 1×1 capsule layer with one 16-atom capsule type per
/// class. Its length |v| ∈ [0, 1) is the class's segmentation output. <see cref="ModelOptions.Features"/> sets the atoms
/// of the first level (default 16; the deeper levels have twice and four times as many).
/// <para>
/// MedSeg's networks emit logits, so the output is logit(|v|): with |v| = |s|²/(1 + |s|²) for the final layer's
/// routed pre-activation s, that is log |s|² — σ(logit) gives back the capsule length (up to the squash's ε),
/// and softmax over classes gives probabilities proportional to each capsule's odds |v|/(1 − |v|).
/// Sigmoid losses (bce, dice, <c>margin</c>) and inference thresholds therefore act on capsule lengths.
/// </para>
/// <para>
/// With <see cref="ModelOptions.Reconstruction"/> the network also has the masked reconstruction decoder (three 1×1
/// convolutions 64, 128, input channels): <see cref="ForwardWithReconstruction"/> masks each class's final capsules
/// by its target mask and reconstructs the input inside the objects, a regulariser of the capsule poses.
/// </para>
/// Keys follow SegCaps' layer names (<c>conv1.weight</c>, <c>primary_caps.conv.weight</c>, <c>conv_cap_2_1.bias</c>,
/// <c>deconv_cap_1_1.conv.weight</c>, <c>seg_caps.*</c>, <c>reconstruction.N.*</c>).
/// </summary>
public sealed class CapsuleSegmentationNetwork : SegmentationModel
{
    /// <summary>Routing iterations of both papers.</summary>
    public const int DefaultRoutings = 3;

    /// <summary>Atoms of the first level's capsules (conv1's maps) in both papers; deeper levels have 2× and 4×.</summary>
    public const int DefaultAtoms = 16;

    /// <summary>Atoms per capsule of the first level and of the final capsules (<see cref="ModelOptions.Features"/>).</summary>
    private readonly long atoms;

    private readonly Conv conv1;
    private readonly ConvCapsule primary_caps;
    private readonly ConvCapsule conv_cap_2_1;
    private readonly ConvCapsule conv_cap_2_2;
    private readonly ConvCapsule conv_cap_3_1;
    private readonly ConvCapsule conv_cap_3_2;
    private readonly ConvCapsule conv_cap_4_1;
    private readonly ConvCapsule deconv_cap_1_1;
    private readonly ConvCapsule deconv_cap_1_2;
    private readonly ConvCapsule deconv_cap_2_1;
    private readonly ConvCapsule deconv_cap_2_2;
    private readonly ConvCapsule deconv_cap_3_1;
    private readonly ConvCapsule seg_caps;
    private readonly Sequential? reconstruction;

    /// <summary>Input size ÷ coarsest capsule grid (three stride-2 capsule layers): every spatial size must be a multiple of it.</summary>
    public const int Stride = 8;

    private CapsuleSegmentationNetwork(string name, int spatialDims, int inChannels, int classes, long firstUpTypes,
        bool sigmoidReconstruction, ModelOptions options)
        : base(name, spatialDims, inChannels, classes, Stride, 16L * CheckedAtoms(options), options)
    {
        var routings = options.Routings ?? DefaultRoutings;
        var a = atoms = CheckedAtoms(options);
        ConvCapsule Capsules(long inTypes, long inAtoms, long outTypes, long outAtoms, long stride = 1, int routing = 0) =>
            new(inTypes, inAtoms, outTypes, outAtoms, 5, stride, routing == 0 ? routings : routing, spatialDims);
        ConvCapsule Up(long inTypes, long inAtoms, long outTypes, long outAtoms) =>
            new(inTypes, inAtoms, outTypes, outAtoms, 4, 2, routings, spatialDims, transposed: true);

        conv1 = new Conv(inChannels, a, 5, padding: 2, spatialDims: spatialDims);
        primary_caps = Capsules(1, a, 2, a, stride: 2, routing: 1);
        conv_cap_2_1 = Capsules(2, a, 4, a);
        conv_cap_2_2 = Capsules(4, a, 4, 2 * a, stride: 2);
        conv_cap_3_1 = Capsules(4, 2 * a, 8, 2 * a);
        conv_cap_3_2 = Capsules(8, 2 * a, 8, 4 * a, stride: 2);
        conv_cap_4_1 = Capsules(8, 4 * a, 8, 2 * a);
        deconv_cap_1_1 = Up(8, 2 * a, 8, 2 * a);
        deconv_cap_1_2 = Capsules(8 + 8, 2 * a, firstUpTypes, 2 * a);
        deconv_cap_2_1 = Up(firstUpTypes, 2 * a, 4, a);
        deconv_cap_2_2 = Capsules(4 + 4, a, 4, a);
        deconv_cap_3_1 = Up(4, a, 2, a);
        seg_caps = new ConvCapsule(1 + 2, a, classes, a, 1, 1, routings, spatialDims);
        if (options.Reconstruction)
        {
            reconstruction = Sequential(
                new Conv(classes * a, 64, 1, spatialDims: spatialDims), ReLU(),
                new Conv(64, 128, 1, spatialDims: spatialDims), ReLU(),
                new Conv(128, inChannels, 1, spatialDims: spatialDims), sigmoidReconstruction ? Sigmoid() : ReLU());
        }
        RegisterComponents();
    }

    /// <summary>SegCaps R3 (2D; 2.5D with K slices as <paramref name="inChannels"/>); ≈1.4 M parameters as the paper reports.</summary>
    public static CapsuleSegmentationNetwork SegCaps(int inChannels, int classes, ModelOptions? options = null) =>
        new("SegCaps", 2, inChannels, classes, 4, sigmoidReconstruction: true, options ?? ModelOptions.Default);

    /// <summary>Avesta et al.'s 3D capsule network (N×C×D×H×W, trained on 64³ patches in the paper).</summary>
    public static CapsuleSegmentationNetwork CapsNet3D(int inChannels, int classes, ModelOptions? options = null) =>
        new("CapsNet3D", 3, inChannels, classes, 8, sigmoidReconstruction: false, options ?? ModelOptions.Default);

    /// <summary>True when built with the reconstruction decoder (<see cref="ModelOptions.Reconstruction"/>).</summary>
    public bool HasReconstruction => reconstruction is not null;

    /// <summary>
    /// Mask logits (as <c>forward</c>) and the reconstruction of the input (N×C×S) from the final capsules masked by
    /// <paramref name="masks"/> (N×classes×S, 1 inside each class), in one pass.
    /// </summary>
    public (Tensor Logits, Tensor Reconstruction) ForwardWithReconstruction(Tensor x, Tensor masks)
    {
        if (reconstruction is null)
        {
            throw new MedSegException($"this {GetName()} has no reconstruction decoder; create it with ModelOptions.Reconstruction (--reconstruction).");
        }
        CheckInput(x);
        using var scope = NewDisposeScope();
        var (s, _) = FinalCapsules(PrepareInput(x));
        var capsules = DynamicRouting.Squash(s, 2);
        var masked = capsules.mul(masks.to_type(capsules.dtype).unsqueeze(2));
        var flat = masked.reshape([masked.shape[0], Classes * atoms, .. masked.shape[3..]]);
        return (LengthLogits(s).MoveToOuterDisposeScope(), reconstruction.call(flat).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    protected override (Tensor Mask, Tensor Deepest) Run(Tensor x)
    {
        var (s, deepest) = FinalCapsules(x);
        return (LengthLogits(s), Flatten(deepest));
    }

    /// <summary>The final layer's routed pre-activation N×classes×atoms×S and the deepest capsules N×8×32×S/8.</summary>
    private (Tensor S, Tensor Deepest) FinalCapsules(Tensor x)
    {
        var first = functional.relu(conv1.call(x)).unsqueeze(1);
        var level2 = conv_cap_2_1.call(primary_caps.call(first));
        var level3 = conv_cap_3_1.call(conv_cap_2_2.call(level2));
        var deepest = conv_cap_4_1.call(conv_cap_3_2.call(level3));
        var up = deconv_cap_1_2.call(cat([level3, deconv_cap_1_1.call(deepest)], 1));
        up = deconv_cap_2_2.call(cat([level2, deconv_cap_2_1.call(up)], 1));
        return (seg_caps.Preactivation(cat([first, deconv_cap_3_1.call(up)], 1)), deepest);
    }

    /// <inheritdoc />
    protected override (string Mask, string Deepest) RunOnnx(OnnxGraph graph, string input)
    {
        var first = graph.Node("Unsqueeze", [graph.Relu(graph.Apply(conv1, input)), graph.Int64s(1)]);
        var level2 = graph.Apply(conv_cap_2_1, graph.Apply(primary_caps, first));
        var level3 = graph.Apply(conv_cap_3_1, graph.Apply(conv_cap_2_2, level2));
        var deepest = graph.Apply(conv_cap_4_1, graph.Apply(conv_cap_3_2, level3));
        var up = graph.Apply(deconv_cap_1_2, graph.Concat([level3, graph.Apply(deconv_cap_1_1, deepest)]));
        up = graph.Apply(deconv_cap_2_2, graph.Concat([level2, graph.Apply(deconv_cap_2_1, up)]));
        var s = seg_caps.PreactivationOnnx(graph, graph.Concat([first, graph.Apply(deconv_cap_3_1, up)]));
        var squared = DynamicRouting.ReduceSum(graph, graph.Mul(s, s), 2);
        var logits = graph.Node("Log", [graph.Add(graph.Node("Squeeze", [squared, graph.Int64s(2)]), graph.Scalar(LengthEpsilon))]);
        var flat = graph.Node("Reshape", [deepest, graph.Concat([graph.Int64s(0, 16 * atoms), graph.ShapeSlice(deepest, 3)], 0)]);
        return (logits, flat);
    }

    /// <summary>Keeps log |s|² finite for an all-zero capsule (a probability of about 1e-12).</summary>
    private const float LengthEpsilon = 1e-12f;

    /// <summary>logit(|v|) = log |s|² per class: N×classes×S from the final pre-activation N×classes×atoms×S.</summary>
    private static Tensor LengthLogits(Tensor s) => s.square().sum(2).add(LengthEpsilon).log();

    private static long CheckedAtoms(ModelOptions options)
    {
        if (options.Features is < 1 || options.Levels is not null)
        {
            throw new MedSegException($"the capsule networks take --features (atoms of the first level, default {DefaultAtoms}) but keep their paper's three levels; got features {options.Features}, levels {options.Levels} (leave --levels out).");
        }
        return options.Features ?? DefaultAtoms;
    }

    private static Tensor Flatten(Tensor capsules) => capsules.reshape([capsules.shape[0], capsules.shape[1] * capsules.shape[2], .. capsules.shape[3..]]);
}
