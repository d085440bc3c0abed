using System.CommandLine;
using MedSeg.Core.Sharding;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg merge PART... --out OUT</c>: the partial outputs of <c>predict --shard I/N</c> → the unsharded output (<see cref="ShardMerge"/>).</summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var parts = new Argument<string[]>("PART") { Description = "The --out of every 'medseg predict --shard I/N' run (each with its PART.shard.json), shards 0 to N-1 once each, in any order.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "New output: a submission .csv for partial submissions, a new folder for partial folders of label maps.", Required = true };
        var sample = new Option<string?>("--sample-submission") { Description = "Kaggle sample_submission.csv: write the merged rows in its order." };
        var command = new Command("merge", "Combine the partial outputs of 'medseg predict --shard I/N' into the output an unsharded run writes (byte for byte).")
        {
            parts, output, sample,
        };
        command.SetAction(parsed =>
        {
            var given = parsed.GetValue(parts)!;
            var outPath = parsed.GetValue(output)!;
            var written = ShardMerge.Merge(given, outPath, parsed.GetValue(sample), Console.WriteLine);
            Console.WriteLine($"merged {given.Length} shards into {outPath} ({written} {(outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "rows" : "files")})");
        });
        return command;
    }
}
