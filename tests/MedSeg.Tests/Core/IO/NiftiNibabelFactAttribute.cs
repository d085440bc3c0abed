namespace MedSeg.Tests.Core.IO;

/// <summary>
/// A fact that needs nibabel (the reference NIfTI library) under the system Python; it is skipped, saying why,
/// where <c>/usr/bin/python3 -c "import nibabel"</c> fails.
/// </summary>
public sealed class NiftiNibabelFactAttribute : FactAttribute
{
    public const string Python = SystemPython.Path;

    public NiftiNibabelFactAttribute()
    {
        if (!SystemPython.CanImport("nibabel, numpy"))
        {
            Skip = $"nibabel is not installed for {Python} (apt-get install -y python3-nibabel python3-numpy); the byte-level NIfTI tests still run.";
        }
    }
}
