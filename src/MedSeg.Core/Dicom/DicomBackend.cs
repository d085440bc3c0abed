using System.Reflection;

namespace MedSeg.Core.Dicom;

/// <summary>
/// Finds the DICOM library at run time: the MedSeg.Dicom assembly (built on GDCM's C# binding where
/// <c>scripts/setup.sh</c> installed it) beside the program. Without it, or without GDCM's native libraries, every
/// DICOM operation is one <see cref="MedSegException"/> that names <c>scripts/setup.sh</c>.
/// </summary>
public static class DicomBackend
{
    private const string TypeName = "MedSeg.Dicom.GdcmDicomBackend, MedSeg.Dicom";

    private static readonly Lazy<IDicomBackend> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The backend; loaded on first use.</summary>
    /// <exception cref="MedSegException">GDCM or MedSeg.Dicom is missing.</exception>
    public static IDicomBackend Current => Loaded.Value;

    private static IDicomBackend Load()
    {
        const string fix = "on Debian run scripts/setup.sh as root (it installs libgdcm-cil), then rebuild; elsewhere convert the series to NIfTI with dcm2niix";
        Type? type;
        try
        {
            type = Type.GetType(TypeName, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            throw new MedSegException($"DICOM input needs GDCM, but MedSeg.Dicom could not be loaded ({e.Message}); {fix}.", e);
        }
        if (type is null)
        {
            throw new MedSegException($"DICOM input needs GDCM's C# binding (gdcm-sharp.dll), which this build of MedSeg was made without; {fix}.");
        }
        try
        {
            return (IDicomBackend)Activator.CreateInstance(type)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new MedSegException($"DICOM input needs GDCM's native libraries (libgdcmsharpglue.so and libgdcm3.0), which failed to load ({FirstLine(Innermost(inner).Message)}); {fix}.", inner);
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    /// <summary>The loader's first line ("Unable to load shared library ..."), without its list of every path it tried.</summary>
    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd(' ', ':', '.');
}
