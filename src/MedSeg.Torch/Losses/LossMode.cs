namespace MedSeg.Torch.Losses;

/// <summary>
/// What the network's output channels mean, as in segmentation_models_pytorch. Shapes below use S for the spatial
/// axes (H×W in 2D, D×H×W in 3D).
/// </summary>
public enum LossMode
{
    /// <summary>One sigmoid channel: logits N×1×S, targets N×1×S (or N×S) of 0/1.</summary>
    Binary,

    /// <summary>One independent sigmoid channel per class (classes may overlap): logits and 0/1 targets N×C×S.</summary>
    Multilabel,

    /// <summary>A softmax over C mutually exclusive classes: logits N×C×S, targets N×S of class indices 0…C−1.</summary>
    Multiclass,
}
