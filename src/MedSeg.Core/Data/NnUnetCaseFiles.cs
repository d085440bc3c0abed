namespace MedSeg.Core.Data;

/// <summary>The files of one case as listed in dataset.json's <c>dataset</c> key: one image per channel, and a label map for training cases.</summary>
public sealed record NnUnetCaseFiles(IReadOnlyList<string> Images, string? Label);
