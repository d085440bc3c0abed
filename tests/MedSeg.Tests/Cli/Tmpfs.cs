using System.Diagnostics;

namespace MedSeg.Tests.Cli;

/// <summary>A small RAM file system mounted for a test (needs root), to fill a disk or make one read-only; unmounted on dispose.</summary>
internal sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<bool> Probe = new(() =>
    {
        try
        {
            new Tmpfs("16k").Dispose();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public Tmpfs(string size)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "medseg-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        try
        {
            Mount("-t", "tmpfs", "-o", $"size={size}", "tmpfs", Path);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    /// <summary>Whether this machine lets the tests mount a tmpfs (root on Linux).</summary>
    public static bool Available => Probe.Value;

    public string Path { get; }

    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void MakeReadOnly() => Mount("-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path);
    }

    private static void Mount(params string[] args) => Run("mount", args);

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {error}");
        }
    }
}
