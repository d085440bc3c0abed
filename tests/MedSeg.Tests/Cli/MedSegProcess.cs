using System.Diagnostics;
using System.Text;

namespace MedSeg.Tests.Cli;

/// <summary>
/// <c>medseg</c> as a separate process (the build next to the tests), for what an in-process run cannot show: a kill
/// with SIGKILL, two processes at once, the memory of a whole process. Output is collected as it comes.
/// </summary>
internal sealed class MedSegProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private MedSegProcess(string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var info = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "medseg.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static MedSegProcess Start(params string[] args) => new(args);

    /// <summary>Runs to the end and returns the exit code and output.</summary>
    public static (int Code, string Output) Run(params string[] args)
    {
        using var process = Start(args);
        return (process.WaitForExit(), process.Output);
    }

    public int WaitForExit()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (SIGKILL on Linux: no handler, no finally block runs) and waits for it.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
