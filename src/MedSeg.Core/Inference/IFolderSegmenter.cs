using MedSeg.Core.IO;

namespace MedSeg.Core.Inference;

/// <summary>
/// Models loaded to segment folder-dataset images, whichever backend computes the networks (MedSeg.Torch on
/// TorchSharp, MedSeg.Onnx without libtorch): what <see cref="FolderPipeline"/> needs of them. Disposing releases the networks.
/// </summary>
public interface IFolderSegmenter : IDisposable
{
    /// <summary>Class names by label value, background first.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>What the user should hear before prediction starts (e.g. a forced test-time view a run was not trained with).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>The label map (H×W class indices at the image's own size) of each image; <paramref name="paths"/> name them in errors.</summary>
    ushort[][] Labels(IReadOnlyList<RasterImage> images, IReadOnlyList<string> paths);
}
