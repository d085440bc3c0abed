using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.IO;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Segments 2-D images with one softmax run or an ensemble of them (folder datasets): each member sees the image at
/// its own network size (<see cref="FolderTensors"/>) and TTA views; its logits are resized bilinearly to the image's
/// own size, turned into probabilities by a softmax over the classes and averaged with the member's weight; the label
/// of a pixel is the most probable class (argmax), 0 = background.
/// </summary>
public sealed class FolderSegmenter
{
    private readonly IReadOnlyList<EnsembleMember> members;
    private readonly FolderTensors[] tensors;
    private readonly IReadOnlyList<TtaView>[] views;
    private readonly Device device;

    /// <exception cref="MedSegException">No member, members of different classes or image channels, or weights summing to zero.</exception>
    public FolderSegmenter(IReadOnlyList<EnsembleMember> members, PredictOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(options);
        if (members.Count == 0)
        {
            throw new MedSegException("no model given; pass at least one --model RUN.");
        }
        EnsembleClasses.CheckSameImages([.. members.Select(m => (m.Classes, m.ImageChannels))]);
        EnsembleWeights.CheckSum(members.Sum(m => m.Weight));
        this.members = members;
        tensors = [.. members.Select(m =>
        {
            var (height, width) = m.Config.ParsedImageSize;
            return new FolderTensors(m.ImageChannels, height, width, IntensityNormalisation.Parse(m.Config.Normalisation));
        })];
        views = [.. members.Select(m => TtaView.For(options.Tta, m.Config.AugmentationPipeline()))];
        this.device = device;
    }

    /// <summary>Class names by label value, background first.</summary>
    public IReadOnlyList<string> Classes => members[0].Classes;

    /// <summary>Channels every image must have (3 = RGB, 1 = gray).</summary>
    public int ImageChannels => members[0].ImageChannels;

    /// <summary>The label map (H×W class indices at the image's own size) of each image; <paramref name="paths"/> name them in errors.</summary>
    /// <exception cref="MedSegException">An image whose channels the runs were not trained on.</exception>
    public ushort[][] Labels(IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(images);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = new Tensor?[images.Count];
        for (var m = 0; m < members.Count; m++)
        {
            using var precision = Autocast.For(members[m].Config.Precision);
            var x = tensors[m].Inputs(images, paths).to(device);
            var share = members[m].Weight / views[m].Count;
            foreach (var output in TtaView.Outputs(views[m], x, members[m].Model.call))
            {
                var logits = output.to_type(ScalarType.Float32);
                for (var i = 0; i < images.Count; i++)
                {
                    var own = nn.functional.interpolate(logits[i..(i + 1)], size: [images[i].Height, images[i].Width], mode: InterpolationMode.Bilinear,
                        align_corners: false);
                    var probabilities = own.softmax(1) * share;
                    sums[i] = sums[i] is null ? probabilities : sums[i]! + probabilities;
                }
            }
        }
        return sums.Select(s => s!.argmax(1).squeeze(0).to_type(ScalarType.Int32).cpu().data<int>().Select(v => (ushort)v).ToArray()).ToArray();
    }
}
