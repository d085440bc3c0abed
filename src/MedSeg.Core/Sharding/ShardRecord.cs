using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Sharding;

/// <summary>
/// What a partial output of <c>medseg predict --shard I/N</c> is, kept beside it as <c>PART.shard.json</c> (for
/// <c>parts/p0.csv</c>: <c>parts/p0.csv.shard.json</c>; for a folder <c>parts/p0</c>: <c>parts/p0.shard.json</c>): which
/// shard of how many, of which input set (<see cref="Inputs"/>: a fingerprint of every output unit of the unsharded
/// run) and settings, and the units it holds with their places in the unsharded output, so <c>medseg merge</c> can
/// check the parts and put them in order. The record is written before the output is renamed into place, so an
/// output with no record was not written by a shard.
/// </summary>
public sealed record ShardRecord
{
    /// <summary><see cref="Kind"/> of a partial Kaggle submission (its units are case-days).</summary>
    public const string Submission = "submission";

    /// <summary><see cref="Kind"/> of a partial folder of label maps (its units are file names).</summary>
    public const string Files = "files";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public required int Shard { get; init; }
    public required int Shards { get; init; }
    public required string Kind { get; init; }
    public required string Inputs { get; init; }
    public required int InputItems { get; init; }
    public required string Settings { get; init; }
    public required IReadOnlyList<ShardEntry> Items { get; init; }

    /// <summary>Whether this shard holds the output unit <paramref name="id"/>.</summary>
    public bool Holds(string id) => (ids ??= Items.Select(i => i.Id).ToHashSet(StringComparer.Ordinal)).Contains(id);

    private HashSet<string>? ids;

    /// <summary>"shard I/N".</summary>
    [JsonIgnore]
    public string Name => $"shard {new Shard(Shard, Shards)}";

    /// <summary>The record's file beside the output <paramref name="output"/>.</summary>
    public static string PathFor(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Path.GetFullPath(output.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)) + ".shard.json";
    }

    /// <summary>Writes this record beside <paramref name="output"/> (temp-then-rename).</summary>
    public void Write(string output) => AtomicFile.WriteAllText(PathFor(output), ToJson());

    private string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>The record of the partial output <paramref name="output"/>.</summary>
    /// <exception cref="MedSegException">The output or its record is missing or unreadable.</exception>
    public static ShardRecord Read(string output)
    {
        var path = PathFor(output);
        var exists = File.Exists(output) || Directory.Exists(output);
        if (!File.Exists(path))
        {
            throw new MedSegException(exists
                ? $"{output} has no shard record {path}, so it is not the output of 'medseg predict --shard I/N'; merge the outputs of sharded predict runs."
                : $"{output} does not exist; pass the --out of each 'medseg predict --shard I/N' run.");
        }
        ShardRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<ShardRecord>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{path} is not a shard record ({e.Message}); run that shard again after deleting it.");
        }
        if (record is null)
        {
            throw new MedSegException($"{path} is empty; run that shard again after deleting it.");
        }
        if (!exists)
        {
            throw new MedSegException($"{record.Name} at {output} did not finish (its record {path} is there but not its output); run that shard again.");
        }
        return record;
    }

    /// <summary>
    /// Whether <paramref name="output"/> already holds this shard's finished output (a rerun then has nothing to do).
    /// False when there is no output yet (a record left by an interrupted run is overwritten).
    /// </summary>
    /// <exception cref="MedSegException">Something else is at <paramref name="output"/>: another shard's or job's output, or a file MedSeg did not write as a shard.</exception>
    public bool IsCompleteAt(string output)
    {
        if (!File.Exists(output) && !Directory.Exists(output))
        {
            return false;
        }
        var path = PathFor(output);
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        if (existing == ToJson())
        {
            return true;
        }
        throw new MedSegException(existing is null
            ? $"--out {output} already exists and is not a shard's output; choose a new --out (MedSeg never overwrites outputs)."
            : $"--out {output} already holds another shard's output ({path} records other inputs, settings or shard than {Name} of this command); choose a new --out or delete it.");
    }
}
