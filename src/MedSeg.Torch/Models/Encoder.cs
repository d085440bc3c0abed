using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// The encoder contract (smp's): <see cref="nn.Module{T, TResult}.forward"/> takes N×C×H×W and returns the feature
/// pyramid largest first — the input itself, then one feature per stride 2, 4, 8, 16, 32 — whose channel counts are
/// <see cref="OutChannels"/>. An encoder without a stride-2 stage returns an empty (0-channel) tensor there, as smp does.
/// After <see cref="MakeDilated"/> the deepest features stay at the output stride (16: the last one at H/16; 8: the
/// last two at H/8) and the listed strides are those of an undilated encoder.
/// </summary>
public abstract class Encoder : nn.Module<Tensor, Tensor[]>
{
    /// <summary>The output stride of every encoder as built, before <see cref="MakeDilated"/>.</summary>
    public const int UndilatedOutputStride = 32;

    protected Encoder(string name) : base(name)
    {
    }

    /// <summary>Channels of the features <c>forward</c> returns, the input first.</summary>
    public abstract IReadOnlyList<int> OutChannels { get; }

    /// <summary>Ratio of the input size to the deepest feature's size; inputs must be multiples of it.</summary>
    public int OutputStride { get; private set; } = UndilatedOutputStride;

    /// <summary>
    /// The features <c>forward</c> returns, as ONNX values (largest first, the input first); an empty string where
    /// <c>forward</c> returns a 0-channel tensor.
    /// </summary>
    public abstract IReadOnlyList<string> ToOnnx(Export.OnnxGraph graph, string input);

    /// <summary>True when <see cref="MakeDilated"/> can lower the output stride to 16 or 8.</summary>
    public bool CanDilate => DilatableStage(UndilatedOutputStride) is not null;

    /// <summary>
    /// smp's <c>make_dilated</c>: lowers the output stride to <paramref name="outputStride"/> (16 or 8; 32 leaves the
    /// encoder as built) by giving the stage that would halve the resolution below it stride 1 and dilation instead —
    /// rate 2 for the stride-32 stage at output stride 16; rates 2 and 4 for the stride-16 and stride-32 stages at 8.
    /// Parameters and state-dict keys do not change, so weights interchange with the undilated encoder.
    /// </summary>
    public void MakeDilated(int outputStride)
    {
        if (outputStride == OutputStride)
        {
            return;
        }
        if (outputStride is not (8 or 16 or UndilatedOutputStride))
        {
            throw new MedSegException($"output stride {outputStride} is not available; use 8, 16 or 32.");
        }
        if (!CanDilate)
        {
            throw new MedSegException(
                $"encoder {GetName()} cannot run at output stride {outputStride} (it has no strided convolutions to dilate); use output stride 32 or one of {string.Join(", ", EncoderRegistry.Dilatable)}.");
        }
        if (OutputStride != UndilatedOutputStride)
        {
            throw new MedSegException(
                $"encoder {GetName()} already runs at output stride {OutputStride}; build a new one for output stride {outputStride}.");
        }
        for (int stride = outputStride * 2, rate = 2; stride <= UndilatedOutputStride; stride *= 2, rate *= 2)
        {
            var (entry, body) = DilatableStage(stride)!.Value;
            // timm's first_dilation: the entry convolution (if any) still samples the undilated neighbourhood of the stage before.
            DilateConvolutions(entry, rate / 2);
            DilateConvolutions(body, rate);
        }
        OutputStride = outputStride;
    }

    /// <summary>
    /// The modules that take the feature at half <paramref name="stride"/> (16 or 32) to the one at
    /// <paramref name="stride"/>: <c>Entry</c>, a separate downsampling layer that timm dilates at the previous stage's
    /// rate (ConvNeXt's), and <c>Body</c>, whose convolutions all get the stage's rate (smp's stage). Null for an
    /// encoder that cannot be dilated.
    /// </summary>
    protected virtual (IReadOnlyList<nn.Module> Entry, IReadOnlyList<nn.Module> Body)? DilatableStage(int stride) => null;

    private static void DilateConvolutions(IEnumerable<nn.Module> modules, int rate)
    {
        foreach (var conv in modules.SelectMany(m => m.modules().Prepend(m)).OfType<Conv>())
        {
            conv.MakeDilated(rate);
        }
    }
}
