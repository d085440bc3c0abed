namespace MedSeg.Torch.Inference;

/// <summary>What <see cref="LabelMapPredictor"/> wrote: <paramref name="Cases"/> label maps into <paramref name="OutputFolder"/>, predicted from the images of <paramref name="SourceFolder"/> (imagesTs, or imagesTr when the dataset has no imagesTs).</summary>
public sealed record LabelMapPrediction(int Cases, string SourceFolder, string OutputFolder);
