using System.Diagnostics;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// A fact that needs the reference implementation: Debian's <c>/usr/bin/python3</c> with <c>torch</c> and
/// <c>torchvision</c> (<c>python3-torchvision</c>). Where they are missing the test is reported as skipped, saying so.
/// </summary>
public sealed class TorchvisionFactAttribute : FactAttribute
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() =>
    {
        if (!File.Exists(Python))
        {
            return false;
        }
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import torch, torchvision"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    public TorchvisionFactAttribute()
    {
        if (!Available.Value)
        {
            Skip = $"needs {Python} with torch and torchvision (apt-get install python3-torchvision); not found, so not compared";
        }
    }
}
