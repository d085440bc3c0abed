namespace MedSeg.Core.Viewer;

/// <summary>What a mask value of a <see cref="ViewerCase"/> means.</summary>
public enum ViewerMasks
{
    /// <summary>Bit k set = the pixel belongs to class k (classes may overlap, as UW-Madison's do); at most 16 classes.</summary>
    Flags,

    /// <summary>The value is the label: 0 = background, k = class k − 1 (NIfTI label maps, folder index masks).</summary>
    Labels,
}
