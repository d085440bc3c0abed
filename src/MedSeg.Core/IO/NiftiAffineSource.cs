namespace MedSeg.Core.IO;

/// <summary>Which part of a NIfTI header gave the voxel-to-world affine.</summary>
public enum NiftiAffineSource
{
    /// <summary>The sform rows (<c>sform_code</c> &gt; 0; preferred, as nibabel does).</summary>
    SForm,

    /// <summary>The quaternion, offsets and pixdim (<c>qform_code</c> &gt; 0 and no sform).</summary>
    QForm,

    /// <summary>Neither is set: diag(pixdim[1..3]) with the origin at voxel 0 (NIfTI's "method 1").</summary>
    PixDim,
}
