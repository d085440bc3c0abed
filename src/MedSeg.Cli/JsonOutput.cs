using System.CommandLine;
using MedSeg.Core;

namespace MedSeg.Cli;

/// <summary>
/// The one <c>--json [FILE]</c> convention of every command: <c>--json</c> alone (or <c>--json -</c>) prints the JSON
/// object on stdout instead of the text; <c>--json FILE</c> writes it to a new FILE.json and keeps the text on stdout.
/// </summary>
public sealed class JsonOutput
{
    private const string Stdout = "-";

    /// <summary>The option to add to a command; <c>what</c> says what the object holds.</summary>
    public Option<string?> Option { get; }

    public JsonOutput(string what)
    {
        Option = new Option<string?>("--json")
        {
            Description = $"Print {what} as one JSON object instead of text; with a FILE (*.json), write it there and print the text.",
            Arity = ArgumentArity.ZeroOrOne,
        };
    }

    /// <summary>Where the JSON goes for this command line: null (not asked), "-" (stdout) or a file path.</summary>
    public string? Target(ParseResult parsed) => parsed.GetResult(Option) is null ? null : parsed.GetValue(Option) ?? Stdout;

    /// <summary>Throws a <see cref="MedSegException"/> when the FILE is not a new *.json (call it before long work; <see cref="Write"/> checks again).</summary>
    public void CheckTarget(ParseResult parsed)
    {
        if (Target(parsed) is { } path and not Stdout)
        {
            NewOutputFile.Require(path, "--json", ".json", "the result is JSON");
        }
    }

    /// <summary>Writes <paramref name="json"/> where asked; true when it went to stdout (so the text must not).</summary>
    public bool Write(ParseResult parsed, string json)
    {
        switch (Target(parsed))
        {
            case null:
                return false;
            case Stdout:
                Console.WriteLine(json);
                return true;
            case var path:
                CheckTarget(parsed);
                AtomicFile.WriteAllText(path, json + "\n");
                return false;
        }
    }
}
