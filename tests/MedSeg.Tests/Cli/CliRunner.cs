using MedSeg.Cli;

namespace MedSeg.Tests.Cli;

/// <summary>
/// Runs <c>medseg</c> in process with stdout and stderr captured. The console is process-wide, so callers must be in
/// <see cref="SequentialCollection"/>.
/// </summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var outWriter = new StringWriter();
        using var errWriter = new StringWriter();
        Console.SetOut(outWriter);
        Console.SetError(errWriter);
        try
        {
            return (CommandLine.Run(args), outWriter.ToString(), errWriter.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
