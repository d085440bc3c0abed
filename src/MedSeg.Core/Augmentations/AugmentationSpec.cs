namespace MedSeg.Core.Augmentations;

/// <summary>A transform the JSON pipeline can name: its summary, and how to build it from its keys.</summary>
internal sealed record AugmentationSpec(string Name, string Summary, Func<AugmentationArguments, Augmentation> Create);
