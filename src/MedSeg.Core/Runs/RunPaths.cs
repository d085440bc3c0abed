using System.Text.Json;
using System.Text.Json.Serialization;

namespace MedSeg.Core.Runs;

/// <summary>
/// What a run folder's files are called and how a <c>--model</c> path expands to run folders, readable without
/// libtorch (the run folder itself, its network and config, live in MedSeg.Torch's <c>RunFolder</c>).
/// </summary>
public static class RunPaths
{
    public const string ConfigFile = "config.json";
    /// <summary>Thresholds and minimum pixel counts found by <c>medseg tune</c>; <c>predict</c> uses them by default.</summary>
    public const string TunedFile = "tuned.json";
    /// <summary>Which classes keep only their largest component, decided on the validation predictions; <c>predict</c> applies it by default.</summary>
    public const string PostProcessingFile = "postprocessing.json";

    /// <summary>How every JSON file of a run is written and read: snake_case keys, unknown keys refused.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>
    /// The run folders a <c>--model</c> path stands for: itself when it holds a run, or its <c>fold_K</c> sub-folders
    /// (a <c>--fold all</c> run) in fold order; itself when it is neither (loading it then says what is missing).
    /// </summary>
    public static IReadOnlyList<string> Expand(string path)
    {
        if (File.Exists(Path.Combine(path, ConfigFile)) || !Directory.Exists(path))
        {
            return [path];
        }
        var folds = Directory.EnumerateDirectories(path, "fold_*")
            .Where(d => File.Exists(Path.Combine(d, ConfigFile)))
            .OrderBy(d => int.TryParse(Path.GetFileName(d)["fold_".Length..], out var k) ? k : int.MaxValue)
            .ToArray();
        return folds.Length > 0 ? folds : [path]; // not a run: loading says so
    }
}
