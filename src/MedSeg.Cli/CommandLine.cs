using System.CommandLine;
using MedSeg.Cli.Commands;
using MedSeg.Core;

namespace MedSeg.Cli;

/// <summary>The <c>medseg</c> command tree: parses, reports parse errors in one line each, and maps failures to exit codes.</summary>
public static class CommandLine
{
    /// <summary>Exit code for bad input (options, files, data).</summary>
    public const int UserError = 2;

    /// <summary>Exit code for an unexpected failure inside MedSeg.</summary>
    public const int InternalError = 70;

    public static RootCommand Build()
    {
        var root = new RootCommand("MedSeg: medical image segmentation (UW-Madison GI tract, nnU-Net layouts) on TorchSharp.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                Console.Error.WriteLine($"medseg: error: {error.Message} (see 'medseg {string.Join(' ', CommandPath(parsed))} --help')");
            }
            return UserError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (MedSegException e)
        {
            Console.Error.WriteLine($"medseg: error: {e.Message}");
            return UserError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MEDSEG_DEBUG") is null)
        {
            Console.Error.WriteLine($"medseg: internal error: {e.GetType().Name}: {e.Message} (set MEDSEG_DEBUG=1 for the stack trace)");
            return InternalError;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Insert(0, r.Command.Name);
        }
        return names;
    }
}
