namespace MedSeg.Tests.Core.Dicom;

/// <summary>
/// A fact that writes DICOM fixtures with DCMTK's <c>dump2dcm</c> (an independent DICOM implementation), and may need
/// further tools (e.g. <c>dcm2niix</c>, <c>dciodvfy</c>); skipped, saying why and which package has the tool, where
/// one is not on PATH (<c>scripts/setup.sh</c> installs them on Debian).
/// </summary>
public sealed class DcmtkFactAttribute : FactAttribute
{
    public DcmtkFactAttribute(params string[] moreTools)
    {
        if (new[] { "dump2dcm" }.Concat(moreTools).FirstOrDefault(t => !DicomSeriesWriter.HasTool(t)) is { } missing)
        {
            Skip = $"{missing} is not on PATH (apt-get install -y {Package(missing)}, or scripts/setup.sh); the DICOM geometry tests without files still run.";
        }
    }

    private static string Package(string tool) => tool switch
    {
        "dcm2niix" => "dcm2niix",
        "dciodvfy" => "dicom3tools",
        _ when tool.StartsWith("gdcm", StringComparison.Ordinal) => "libgdcm-tools",
        _ => "dcmtk",
    };
}
