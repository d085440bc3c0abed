namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// A fact that writes DICOM fixtures with DCMTK's <c>dump2dcm</c> (an independent DICOM implementation), and may need
/// further tools (e.g. <c>dcm2niix</c>); skipped, saying why, where one is not on PATH (<c>scripts/setup.sh</c>
/// installs them on Debian).
/// </summary>
public sealed class DcmtkFactAttribute : FactAttribute
{
    public DcmtkFactAttribute(params string[] moreTools)
    {
        if (new[] { "dump2dcm" }.Concat(moreTools).FirstOrDefault(t => !DicomSeriesWriter.HasTool(t)) is { } missing)
        {
            Skip = $"{missing} is not on PATH (apt-get install -y dcmtk dcm2niix, or scripts/setup.sh); the DICOM geometry tests without files still run.";
        }
    }
}
