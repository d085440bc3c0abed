using System.Diagnostics;

namespace MedSeg.Tests.Cli;

/// <summary>
/// Runs the <c>medseg</c> program built beside the tests as the unprivileged user <c>nobody</c> (through
/// <c>setpriv</c>), so that permission checks the tests' root user would pass really apply.
/// </summary>
internal static class Nobody
{
    private static readonly string Program = Path.Combine(AppContext.BaseDirectory, "medseg.dll");

    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Why the tests cannot run <c>medseg</c> as nobody here (not root, no <c>setpriv</c>, the build not readable by other users); null when they can.</summary>
    public static string? WhyNot => Unavailable.Value;

    /// <summary>Runs <c>medseg <paramref name="args"/></c> as nobody; its exit code, standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var start = new ProcessStartInfo("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "dotnet", Program, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "needs root on Linux to run medseg as the user nobody";
        }
        try
        {
            var (code, _, error) = Run("--version");
            return code == 0 ? null : $"nobody cannot run {Program} (is its folder readable by other users?): {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "setpriv (util-linux) is not on PATH";
        }
    }
}
