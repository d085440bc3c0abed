using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Onnx;

/// <summary>
/// How a 2D / 2.5D model's metadata turns UW-Madison slices into network input, as MedSeg.Torch's <c>SliceTensors</c>
/// does: the slice stack (<see cref="SliceStack"/>: K slices of C channels, cut to the case-day's ROI box, normalised)
/// resized bilinearly to the network size (<see cref="BilinearResize"/>).
/// </summary>
internal sealed class OnnxSliceInputs
{
    private readonly int height;
    private readonly int width;

    public OnnxSliceInputs(OnnxModel model)
    {
        Stack = new SliceStack(model.Mode == "2.5d" ? model.InSlices : 1, model.SliceStride, model.ImageChannels,
            new SliceReader(model.Normalisation, model.RoiCrop, new SliceImageCache(256)));
        (height, width) = (model.InputSize[0], model.InputSize[1]);
    }

    public SliceStack Stack { get; }

    /// <summary>Input channels per stack (K·C).</summary>
    public int Channels => Stack.InputChannels;

    /// <summary>
    /// The inputs of slices <paramref name="start"/> … <paramref name="start"/> + <paramref name="count"/> − 1 of
    /// <paramref name="caseDay"/> cut to <paramref name="box"/>: <paramref name="count"/>×(K·C)×h×w at the network size.
    /// </summary>
    public float[] Batch(UwCaseDay caseDay, int start, int count, CropBox box)
    {
        var size = Channels * height * width;
        var input = new float[count * size];
        Parallel.For(0, count, i => BilinearResize.Planes(Stack.Read(caseDay, start + i, box), Channels, box.Height, box.Width, height, width)
            .CopyTo(input.AsSpan(i * size, size)));
        return input;
    }
}
