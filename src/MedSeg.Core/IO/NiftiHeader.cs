using MedSeg.Core.Volumes;

namespace MedSeg.Core.IO;

/// <summary>
/// What MedSeg uses from a NIfTI-1 or NIfTI-2 header, decoded to native values: data type, dims, voxel sizes,
/// intensity scaling, both spatial transforms and the affine chosen from them (sform when <c>sform_code</c> &gt; 0,
/// else qform when <c>qform_code</c> &gt; 0, else pixdim alone).
/// </summary>
public sealed record NiftiHeader
{
    /// <summary>1 for NIfTI-1 (348-byte header), 2 for NIfTI-2 (540 bytes).</summary>
    public required int Version { get; init; }

    /// <summary>Whether the file stores numbers big-endian.</summary>
    public required bool BigEndian { get; init; }

    public required NiftiDataType DataType { get; init; }

    /// <summary>The spatial dims, dim[1..3] (1 where dim[0] is smaller).</summary>
    public required VolumeShape Shape { get; init; }

    /// <summary>dim[4] (time points or channels), 1 for a 3-D file.</summary>
    public required int Channels { get; init; }

    /// <summary>pixdim[0..7] as stored: pixdim[0] is qfac, pixdim[1..3] voxel sizes.</summary>
    public required IReadOnlyList<double> PixDim { get; init; }

    /// <summary>Byte offset of the voxel data in the (uncompressed) file.</summary>
    public required long VoxOffset { get; init; }

    /// <summary>scl_slope: stored value × slope + inter gives the true value; 0 or not finite means no scaling.</summary>
    public required double SclSlope { get; init; }

    public required double SclInter { get; init; }

    public required int QFormCode { get; init; }

    public required int SFormCode { get; init; }

    /// <summary>The qform affine (whatever qform_code says).</summary>
    public required Affine QForm { get; init; }

    /// <summary>The sform rows (whatever sform_code says).</summary>
    public required Affine SForm { get; init; }

    /// <summary>The voxel-to-world affine (RAS+ mm) MedSeg uses.</summary>
    public required Affine Affine { get; init; }

    public required NiftiAffineSource AffineSource { get; init; }

    /// <summary>The <c>descrip</c> text.</summary>
    public required string Description { get; init; }

    /// <summary>Whether stored values are scaled on read (slope nonzero and finite, and not slope 1 with inter 0).</summary>
    public bool IsScaled => SclSlope != 0 && double.IsFinite(SclSlope) && !(SclSlope == 1 && (SclInter == 0 || !double.IsFinite(SclInter)));

    /// <summary>The intercept that is applied: scl_inter, or 0 when it is not finite.</summary>
    internal double Intercept => double.IsFinite(SclInter) ? SclInter : 0;

    /// <summary>The number of stored values, X·Y·Z·channels.</summary>
    public long ValueCount => Shape.VoxelCount * Channels;

    /// <summary>The geometry of the volume: shape and <see cref="Affine"/>.</summary>
    public VolumeGeometry Geometry => new(Shape, Affine);
}
