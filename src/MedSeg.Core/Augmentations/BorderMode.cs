namespace MedSeg.Core.Augmentations;

/// <summary>What a geometric transform reads outside the source: the names are those of the JSON pipeline.</summary>
public enum BorderMode
{
    /// <summary><c>constant</c>: zero for the image and the mask.</summary>
    Constant,

    /// <summary><c>edge</c>: the nearest edge pixel (OpenCV's BORDER_REPLICATE).</summary>
    Edge,

    /// <summary><c>reflect</c>: mirrored without repeating the edge, d c b | a b c d | c b a (OpenCV's BORDER_REFLECT_101).</summary>
    Reflect,
}
