namespace MedSeg.Core.IO;

/// <summary>The NIfTI <c>datatype</c> codes MedSeg reads (the values are the codes of the NIfTI standard).</summary>
public enum NiftiDataType : short
{
    UInt8 = 2,
    Int16 = 4,
    Int32 = 8,
    Float32 = 16,
    Float64 = 64,
    Int8 = 256,
    UInt16 = 512,
    UInt32 = 768,
    Int64 = 1024,
    UInt64 = 1280,
}
