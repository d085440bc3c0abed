namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// A fact that writes DICOM fixtures with DCMTK (see <see cref="DcmtkFactAttribute"/>) and reads MedSeg's output with
/// pydicom under the system Python; skipped, saying why, where either is missing.
/// </summary>
public sealed class PydicomFactAttribute : FactAttribute
{
    public PydicomFactAttribute()
    {
        Skip = new DcmtkFactAttribute().Skip
            ?? (SystemPython.CanImport("pydicom") ? null : $"pydicom is not installed for {SystemPython.Path} (apt-get install -y python3-pydicom, or scripts/setup.sh).");
    }
}
