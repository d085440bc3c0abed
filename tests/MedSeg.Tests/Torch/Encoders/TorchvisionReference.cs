using System.Diagnostics;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>Runs a reference script with <see cref="TorchvisionFactAttribute.Python"/>; a failing script fails the test with its stderr.</summary>
internal static class TorchvisionReference
{
    /// <summary>Writes <paramref name="script"/> into <paramref name="folder"/> and runs it with the folder and <paramref name="arguments"/>.</summary>
    public static void Run(string script, string folder, IEnumerable<string> arguments)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "reference.py");
        File.WriteAllText(path, script);
        using var python = Process.Start(new ProcessStartInfo(TorchvisionFactAttribute.Python, [path, folder, .. arguments])
        {
            RedirectStandardError = true,
        })!;
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, errors);
    }
}
