using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Data;

/// <summary>
/// Turns UW-Madison slices into network tensors: inputs N×(K·C)×h×w (K = 1 in 2D; in 2.5D the K slices at
/// <c>index + (j − K/2)·stride</c>, clamped at the volume ends; C image channels per slice, input channel j·C + c),
/// read by a <see cref="SliceReader"/> (cut to the
/// case-day's ROI box, normalised; by default per image by its maximum, uncropped) and resized bilinearly to the
/// network size; targets N×C×h×w of 0/1 resized with nearest neighbour. Training batches go through an augmentation
/// pipeline first, image and masks with one random draw per sample derived from (seed, stream + position), so a
/// batch's content does not depend on which thread builds it or when. Everything up to the resized arrays happens in
/// <see cref="Samples"/>, which loader threads run; <see cref="ToBatch"/> only copies them into tensors.
/// </summary>
public sealed class SliceTensors
{
    private readonly SliceStack stack;
    private readonly int inputChannels;
    private readonly int height;
    private readonly int width;

    /// <param name="channels">Image channels per slice (nnU-Net <c>channel_names</c>).</param>
    public SliceTensors(int inSlices, int sliceStride, int height, int width, SliceReader? reader = null, int channels = 1)
    {
        stack = new SliceStack(inSlices, sliceStride, channels, reader ?? SliceReader.Plain);
        inputChannels = stack.InputChannels;
        this.height = height;
        this.width = width;
    }

    /// <summary>How slices are decoded, cropped and normalised.</summary>
    public SliceReader Reader => stack.Reader;

    /// <summary>Network inputs N×(K·C)×h×w (float32, on the CPU), each cut to its case-day's crop box before resizing.</summary>
    public Tensor Inputs(IReadOnlyList<SliceRef> slices)
    {
        var images = new float[slices.Count][];
        Parallel.For(0, slices.Count, i =>
        {
            var box = Reader.Box(slices[i].CaseDay);
            images[i] = Resized(stack.Read(slices[i].CaseDay, slices[i].Index, box), inputChannels, box.Height, box.Width, InterpolationMode.Bilinear);
        });
        return Concatenated(images, inputChannels);
    }

    /// <summary>
    /// A training batch: inputs N×(K·C)×h×w, targets N×C×h×w (float32 0/1, <paramref name="classes"/> classes) and the
    /// slices the loss ignores (null when none), each sample augmented by <paramref name="pipeline"/> with a draw from (<paramref name="seed"/>, <paramref name="stream"/> + position).
    /// </summary>
    public TrainingBatch Batch(IReadOnlyList<SliceRef> slices, int classes, AugmentationPipeline pipeline, int seed, long stream) =>
        ToBatch(Samples(slices, classes, pipeline, seed, stream, parallel: true));

    /// <summary>
    /// The samples of <see cref="Batch"/>, resized to the network size, as arrays: safe on any thread (the resizing
    /// tensors live and die inside it). <paramref name="parallel"/> spreads the slices over the thread pool (the
    /// synchronous path); loader threads build their batch alone.
    /// </summary>
    public SliceSamples Samples(IReadOnlyList<SliceRef> slices, int classes, AugmentationPipeline pipeline, int seed, long stream, bool parallel)
    {
        var samples = new AugmentationSample[slices.Count];
        void Build(int i)
        {
            var box = Reader.Box(slices[i].CaseDay);
            var sample = new AugmentationSample(stack.Read(slices[i].CaseDay, slices[i].Index, box), inputChannels, Masks(slices[i], classes, box), classes, SpatialShape.Plane(box.Height, box.Width));
            var augmented = pipeline.Transforms.Count == 0 ? sample : pipeline.Apply(sample, new DeterministicRandom(seed, stream + i));
            var (h, w) = (augmented.Shape.Height, augmented.Shape.Width);
            samples[i] = new AugmentationSample(Resized(augmented.Image, inputChannels, h, w, InterpolationMode.Bilinear), inputChannels,
                Resized(augmented.Mask, classes, h, w, InterpolationMode.Nearest), classes, SpatialShape.Plane(height, width));
        }
        if (parallel)
        {
            Parallel.For(0, slices.Count, Build);
        }
        else
        {
            for (var i = 0; i < slices.Count; i++)
            {
                Build(i);
            }
        }
        return new SliceSamples(samples, slices.Select(s => s.IgnoreInLoss).ToArray());
    }

    /// <summary>The tensors of <paramref name="batch"/>, created in the caller's dispose scope.</summary>
    public TrainingBatch ToBatch(SliceSamples batch)
    {
        var samples = batch.Samples;
        var classes = samples.Count == 0 ? 0 : samples[0].MaskChannels;
        var ignore = batch.IgnoreInLoss.Contains(true)
            ? tensor(batch.IgnoreInLoss.Select(i => i ? 1f : 0f).ToArray(), [batch.IgnoreInLoss.Count])
            : null;
        return new TrainingBatch(Concatenated(samples.Select(s => s.Image).ToArray(), inputChannels),
            Concatenated(samples.Select(s => s.Mask).ToArray(), classes), ignore);
    }

    /// <summary>Maps N×C×h'×w' predicted on slices cut to <paramref name="box"/>, resized (bilinear) to the box's size.</summary>
    public static Tensor ResizedTo(Tensor maps, CropBox box) =>
        maps.shape[2] == box.Height && maps.shape[3] == box.Width
            ? maps
            : nn.functional.interpolate(maps, size: [box.Height, box.Width], mode: InterpolationMode.Bilinear, align_corners: false);

    /// <summary>
    /// Maps N×C×box.Height×box.Width (e.g. probabilities of the cropped slices) put into their place in full
    /// <paramref name="fullHeight"/>×<paramref name="fullWidth"/> slices, zeros outside the box.
    /// </summary>
    public static Tensor PasteBack(Tensor maps, CropBox box, int fullHeight, int fullWidth) =>
        box.Covers(fullHeight, fullWidth)
            ? maps
            : nn.functional.pad(maps, [box.Left, fullWidth - box.Left - box.Width, box.Top, fullHeight - box.Top - box.Height]);

    private float[] Masks(SliceRef slice, int classes, CropBox box)
    {
        var s = slice.CaseDay.Slices[slice.Index];
        var plane = box.Pixels;
        var target = new float[classes * plane];
        for (var c = 0; c < classes; c++)
        {
            Reader.Mask(s, c, box, target.AsSpan(c * plane, plane));
        }
        return target;
    }

    /// <summary><paramref name="values"/> (channels×h×w) resized to the network size (<see cref="PlaneResize"/>).</summary>
    private float[] Resized(float[] values, int channels, int h, int w, InterpolationMode mode) =>
        PlaneResize.Resize(values, channels, h, w, height, width, mode);

    /// <summary>One N×channels×h×w tensor from N arrays of channels×h×w values at the network size.</summary>
    private Tensor Concatenated(IReadOnlyList<float[]> samples, int channels)
    {
        var size = channels * height * width;
        var all = new float[samples.Count * size];
        for (var i = 0; i < samples.Count; i++)
        {
            samples[i].AsSpan().CopyTo(all.AsSpan(i * size, size));
        }
        return tensor(all, [samples.Count, channels, height, width]);
    }
}
