namespace MedSeg.Core.Inference;

/// <summary>
/// What a label-map predictor (MedSeg.Torch's <c>LabelMapPredictor</c>, <c>FolderPredictor</c>, MedSeg.Onnx's <c>OnnxLabelMapPredictor</c>) wrote: <paramref name="Cases"/> label maps (NIfTI
/// volumes, or index PNGs) into <paramref name="OutputFolder"/>, predicted from the images of <paramref name="SourceFolder"/>
/// (a dataset's imagesTs, or imagesTr when it has no imagesTs; a NIfTI file; a folder of them; a folder dataset's images/).
/// </summary>
public sealed record LabelMapPrediction(int Cases, string SourceFolder, string OutputFolder)
{
    /// <summary>True when a shard's output was already complete, so nothing was predicted (<c>--shard</c> reruns).</summary>
    public bool AlreadyComplete { get; init; }

    /// <summary>What the user should hear about the prediction (e.g. untrained TTA views, the post-processing applied), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
