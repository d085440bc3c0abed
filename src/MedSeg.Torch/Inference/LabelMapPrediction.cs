namespace MedSeg.Torch.Inference;

/// <summary>
/// What <see cref="LabelMapPredictor"/> or <see cref="FolderPredictor"/> wrote: <paramref name="Cases"/> label maps (NIfTI
/// volumes, or index PNGs) into <paramref name="OutputFolder"/>, predicted from the images of <paramref name="SourceFolder"/>
/// (a dataset's imagesTs, or imagesTr when it has no imagesTs; a NIfTI file; a folder of them; a folder dataset's images/).
/// </summary>
public sealed record LabelMapPrediction(int Cases, string SourceFolder, string OutputFolder)
{
    /// <summary>True when a shard's output was already complete, so nothing was predicted (<c>--shard</c> reruns).</summary>
    public bool AlreadyComplete { get; init; }

    /// <summary>What the user should hear about the prediction (<see cref="LoadedEnsemble.Warnings"/>), one line each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
