using System.CommandLine;
using System.Text.RegularExpressions;
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
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(JobsCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(TuneCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(ViewCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        if (args is ["help", .. var topic])
        {
            args = [.. topic, "--help"]; // medseg help [COMMAND] = medseg [COMMAND] --help
        }
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"medseg: error: {FirstError(parsed)}");
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
        catch (Exception e) when (ResourceErrors.Explain(e) is { } error)
        {
            Console.Error.WriteLine($"medseg: error: {error.Message}");
            return UserError;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("MEDSEG_DEBUG") is null)
        {
            Console.Error.WriteLine($"medseg: internal error: {e.GetType().Name}: {e.Message} (set MEDSEG_DEBUG=1 for the stack trace)");
            return InternalError;
        }
    }

    /// <summary>
    /// One line for what went wrong first: an unknown word (with the closest command or option), a missing command, or
    /// the parser's message, each pointing at the help of the command it concerns.
    /// </summary>
    private static string FirstError(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        var help = $"see 'medseg {string.Join("", CommandPath(parsed).Select(n => n + " "))}--help'";
        if (parsed.UnmatchedTokens.FirstOrDefault() is { } unknown)
        {
            var isOption = unknown.StartsWith('-');
            var valid = isOption
                ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
                : command.Subcommands.Select(c => c.Name);
            var kind = isOption ? "option" : command.Subcommands.Count > 0 ? "command" : "argument";
            var closest = Suggestion.Closest(unknown, valid);
            return $"'{unknown}' is not a{(kind == "option" ? "n" : "")} {kind} of {string.Join(" ", CommandPath(parsed).Prepend("medseg"))}"
                + (closest is null ? $" ({help})." : $"; did you mean '{closest}'? ({help})");
        }
        if (command.Subcommands.Count > 0)
        {
            var name = string.Join("", CommandPath(parsed).Select(n => n + " "));
            return $"no command given; choose one of medseg {name}{string.Join(", ", command.Subcommands.Select(c => c.Name))} ({help}, or 'medseg help {name}COMMAND').";
        }
        return $"{Plain(parsed.Errors[0].Message)} ({help})";
    }

    /// <summary>The parser's message with .NET type names said in words ("'x' is not a whole number for --steps").</summary>
    private static string Plain(string message)
    {
        var match = Regex.Match(message, @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'\.?$");
        if (!match.Success)
        {
            return message.TrimEnd('.');
        }
        var type = match.Groups["type"].Value;
        var kind = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false" : "a valid value";
        return $"{match.Groups["option"].Value} '{match.Groups["value"].Value}' is not {kind}";
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
