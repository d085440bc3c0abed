using System.Diagnostics;

namespace MedSeg.Tests;

/// <summary>
/// Debian's Python (<c>/usr/bin/python3</c>, not the bare pyenv build first on PATH) with its packaged libraries,
/// which some tests use as an independent reference reader.
/// </summary>
internal static class SystemPython
{
    public const string Path = "/usr/bin/python3";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Imports = new();

    /// <summary>Whether <c>import <paramref name="modules"/></c> (comma-separated) works; checked once per list.</summary>
    public static bool CanImport(string modules) => Imports.GetOrAdd(modules, m =>
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(Path, ["-c", $"import {m}"]) { RedirectStandardError = true });
            process!.WaitForExit(30_000);
            return process.HasExited && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    /// <summary>Runs <paramref name="script"/> with <paramref name="arguments"/>, failing the test with its error output when it fails; returns its output.</summary>
    public static string Run(string script, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(Path, ["-c", script, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed: {error}");
        return output.Result;
    }
}
