using System.Diagnostics;

namespace MedSeg.Tests.Core.IO;

/// <summary>
/// A fact that needs nibabel (the reference NIfTI library) under the system Python; it is skipped, saying why,
/// where <c>/usr/bin/python3 -c "import nibabel"</c> fails.
/// </summary>
public sealed class NiftiNibabelFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import nibabel, numpy"]) { RedirectStandardError = true });
            process!.WaitForExit(30_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public NiftiNibabelFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"nibabel is not installed for {Python} (apt-get install -y python3-nibabel python3-numpy); the byte-level NIfTI tests still run.";
        }
    }
}
