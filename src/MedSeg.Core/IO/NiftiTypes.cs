namespace MedSeg.Core.IO;

/// <summary>Facts about each <see cref="NiftiDataType"/>: size, name, and the .NET type that holds it.</summary>
internal static class NiftiTypes
{
    /// <summary>The data types MedSeg reads, for error messages.</summary>
    public const string Supported = "uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32 or float64";

    /// <summary>Bytes per voxel, or 0 for a code MedSeg does not read.</summary>
    public static int Size(NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 or NiftiDataType.Int8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Int32 or NiftiDataType.UInt32 or NiftiDataType.Float32 => 4,
        NiftiDataType.Int64 or NiftiDataType.UInt64 or NiftiDataType.Float64 => 8,
        _ => 0,
    };

    public static string Name(NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 => "uint8",
        NiftiDataType.Int8 => "int8",
        NiftiDataType.Int16 => "int16",
        NiftiDataType.UInt16 => "uint16",
        NiftiDataType.Int32 => "int32",
        NiftiDataType.UInt32 => "uint32",
        NiftiDataType.Int64 => "int64",
        NiftiDataType.UInt64 => "uint64",
        NiftiDataType.Float32 => "float32",
        NiftiDataType.Float64 => "float64",
        _ => UnsupportedName((short)type),
    };

    /// <summary>The data type written for voxels of .NET type <typeparamref name="T"/>.</summary>
    public static NiftiDataType Of<T>() where T : unmanaged => default(T) switch
    {
        byte => NiftiDataType.UInt8,
        sbyte => NiftiDataType.Int8,
        short => NiftiDataType.Int16,
        ushort => NiftiDataType.UInt16,
        int => NiftiDataType.Int32,
        uint => NiftiDataType.UInt32,
        long => NiftiDataType.Int64,
        ulong => NiftiDataType.UInt64,
        float => NiftiDataType.Float32,
        double => NiftiDataType.Float64,
        _ => throw new ArgumentException($"NIfTI has no data type for {typeof(T).Name} voxels."),
    };

    /// <summary>Names of the codes of the standard that MedSeg does not read.</summary>
    private static string UnsupportedName(short code) => code switch
    {
        0 => "unknown (0)",
        1 => "binary (1)",
        32 => "complex64 (32)",
        128 => "RGB24 (128)",
        255 => "all (255)",
        1536 => "float128 (1536)",
        1792 => "complex128 (1792)",
        2048 => "complex256 (2048)",
        2304 => "RGBA32 (2304)",
        _ => $"code {code}",
    };
}
