using System.Diagnostics;
using MedSeg.Core.Bundles;
using MedSeg.Tests.Cli;

namespace MedSeg.Tests.Onnx;

/// <summary>
/// What the libtorch-free ONNX tests share: tiny runs trained and exported as bundles through the CLI, <c>medseg</c>
/// (or another program) run as its own process, the shared objects such a process maps, and the bundle cache cleaned up.
/// </summary>
internal static class OnnxTestRuns
{
    /// <summary>Trains a one-epoch fp32 run on <paramref name="data"/> with left-right flips (so TTA averages two views) and zero output bias, and exports it as <c>ROOT/NAME.zip</c>.</summary>
    public static string Bundle(string root, string data, string name, string network, int epochs = 1)
    {
        var run = Path.Combine(root, $"run-{name}");
        var train = CliRunner.Run(["train", "--data", data, "--out", run, .. network.Split(' '), "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--batch-size", "2", "--precision", "fp32", "--mirror-axes", "h", "--seed", "1",
            // Zero output bias, not the label-map prior 0.01: one epoch from the prior predicts no foreground, and the
            // backends' label maps must hold some to be compared.
            "--output-prior", "0.5"]);
        Assert.True(train.Code == 0, train.Err);
        var bundle = Path.Combine(root, $"{name}.zip");
        var export = CliRunner.Run("export", "--model", run, "--out", bundle);
        Assert.True(export.Code == 0, export.Err);
        return bundle;
    }

    /// <summary>Removes the unpacked copies of <paramref name="root"/>'s bundles from the cache every bundle a user predicts with shares, then the folder.</summary>
    public static void Clean(string root)
    {
        foreach (var bundle in Directory.GetFiles(root, "*.zip"))
        {
            var unpacked = Path.Combine(Path.GetTempPath(), "medseg-bundles", BundleArchive.Sha256(File.OpenRead(bundle)));
            if (Directory.Exists(unpacked))
            {
                Directory.Delete(unpacked, recursive: true);
            }
        }
        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// The shared objects a <c>medseg</c> process run with <paramref name="args"/> mapped (dlopen included), from the
    /// dynamic linker's <c>LD_DEBUG=files</c> log written to <c>ROOT/LOG.*</c>.
    /// </summary>
    public static string[] LoadedLibraries(string root, string log, params string[] args)
    {
        var (code, _, stderr) = Process([Path.Combine(AppContext.BaseDirectory, "medseg.dll"), .. args], ("LD_DEBUG", "files"), ("LD_DEBUG_OUTPUT", Path.Combine(root, log)));
        Assert.True(code == 0, stderr);
        return [.. Directory.GetFiles(root, log + ".*").SelectMany(File.ReadAllLines).Where(l => l.Contains("file=", StringComparison.Ordinal))];
    }

    /// <summary>Whether <paramref name="libraries"/> (from <see cref="LoadedLibraries"/>) include libtorch or TorchSharp's native library.</summary>
    public static bool MapsLibtorch(IEnumerable<string> libraries) =>
        libraries.Any(l => l.Contains("libtorch", StringComparison.Ordinal) || l.Contains("LibTorchSharp", StringComparison.Ordinal));

    /// <summary>Runs <c>dotnet ARGS</c> with <paramref name="environment"/> added: exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Process(string[] args, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
