using MedSeg.Core;
using MedSeg.Core.Inference;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;

namespace MedSeg.Onnx;

/// <summary>
/// Segments 2-D images with softmax runs (folder datasets) on ONNX Runtime, as MedSeg.Torch's <c>FolderSegmenter</c>
/// does on TorchSharp tensors, on float arrays: each member sees the image (<see cref="FolderImagePlanes"/>) resized to
/// its network size (<see cref="BilinearResize"/>) in each test-time view (<see cref="TtaView"/>); its logits are
/// resized back to the image's own size, turned into probabilities by a softmax over the classes
/// (<see cref="ExclusiveClasses"/>) and averaged with the member's weight; the label of a pixel is the most probable
/// class. An ensemble graph (a <c>--fold all</c> run) gives only its mean probabilities, which are resized instead.
/// Disposing releases the networks.
/// </summary>
public sealed class OnnxFolderSegmenter : IFolderSegmenter
{
    private readonly OnnxEnsemble ensemble;

    /// <summary>Segments with <paramref name="ensemble"/> (opened with <c>multiclass: true</c>), which it disposes.</summary>
    /// <exception cref="MedSegException">Members trained on different classes or kinds of image.</exception>
    public OnnxFolderSegmenter(OnnxEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        EnsembleClasses.CheckSameImages([.. ensemble.Members.Select(m => (m.Model.Classes, m.Model.ImageChannels))]);
        this.ensemble = ensemble;
    }

    public IReadOnlyList<string> Classes => ensemble.Classes;

    public IReadOnlyList<string> Warnings => ensemble.Warnings;

    public ushort[][] Labels(IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(paths);
        var classes = Classes.Count;
        var sums = images.Select(image => new float[classes * image.Height * image.Width]).ToArray();
        for (var m = 0; m < ensemble.Members.Count; m++)
        {
            var model = ensemble.Members[m].Model;
            var views = ensemble.Views[m];
            var share = (float)(ensemble.Members[m].Weight / views.Count);
            var (channels, h, w) = (model.ImageChannels, model.InputSize[0], model.InputSize[1]);
            var input = Inputs(model, images, paths);
            foreach (var view in views)
            {
                var (vh, vw) = view.Rotations % 2 == 0 ? (h, w) : (w, h);
                var output = view.Invert(model.Run(view.Apply(input, images.Count * channels, h, w), [images.Count, channels, vh, vw]), images.Count * classes, h, w);
                Parallel.For(0, images.Count, i =>
                {
                    var (height, width) = (images[i].Height, images[i].Width);
                    var own = BilinearResize.Planes(output.AsSpan(i * classes * h * w, classes * h * w).ToArray(), classes, h, w, height, width);
                    if (model.OutputsLogits)
                    {
                        ExclusiveClasses.Softmax(own, classes, height * width);
                    }
                    var sum = sums[i];
                    for (var v = 0; v < sum.Length; v++)
                    {
                        sum[v] += share * own[v];
                    }
                });
            }
        }
        return [.. images.Select((image, i) => ExclusiveClasses.Argmax(sums[i], classes, image.Height * image.Width))];
    }

    public void Dispose() => ensemble.Dispose();

    /// <summary>The network input of <paramref name="model"/>: N×C×h×w, each image normalised and resized to the network size.</summary>
    private static float[] Inputs(OnnxModel model, IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths)
    {
        var (channels, h, w) = (model.ImageChannels, model.InputSize[0], model.InputSize[1]);
        var size = channels * h * w;
        var input = new float[images.Count * size];
        Parallel.For(0, images.Count, i => BilinearResize.Planes(FolderImagePlanes.Of(images[i], channels, model.Normalisation, paths[i]), channels,
            images[i].Height, images[i].Width, h, w).CopyTo(input.AsSpan(i * size, size)));
        return input;
    }
}
