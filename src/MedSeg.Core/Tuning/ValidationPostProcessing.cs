using System.Text.Json;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Runs;

namespace MedSeg.Core.Tuning;

/// <summary>
/// The post-processing a run decided on its validation predictions (<see cref="PostProcessingSearch"/>), kept in
/// <c>RUN/postprocessing.json</c>: written when training ends with a held-out fold, read by <c>predict</c>, which
/// applies it unless <c>--postprocess none</c>. A run trained without a held-out fold (one case, <c>--folds 1</c>) has
/// no prediction to score; its file is decided on the shapes of the training labels instead
/// (<see cref="PostProcessingSearch.DecideOnLabels"/>: a structure drawn as one piece keeps its largest component).
/// </summary>
public static class ValidationPostProcessing
{
    /// <summary>The values <c>predict --postprocess</c> takes: <c>auto</c> (the run's decision) or <c>none</c>.</summary>
    public static readonly IReadOnlyList<string> Modes = ["auto", "none"];

    /// <summary>Writes <paramref name="decision"/> to <c>postprocessing.json</c> in <paramref name="runPath"/>.</summary>
    public static void Write(string runPath, PostProcessingDecision decision) =>
        AtomicFile.WriteAllText(Path.Combine(runPath, RunPaths.PostProcessingFile), JsonSerializer.Serialize(decision, RunPaths.Json) + "\n");

    /// <summary>
    /// The decision of the run <paramref name="runPath"/>, or of its folds taken together when it is a <c>--fold all</c>
    /// run (<see cref="PostProcessingDecision.Combine"/>); null when there is none (no held-out fold).
    /// </summary>
    /// <exception cref="MedSegException">A file is not a valid decision.</exception>
    public static PostProcessingDecision? Read(string runPath)
    {
        var decisions = RunPaths.Expand(runPath).Select(folder => Path.Combine(folder, RunPaths.PostProcessingFile)).Where(File.Exists).Select(ReadFile).ToArray();
        return decisions.Length switch
        {
            0 => null,
            1 => decisions[0],
            _ => PostProcessingDecision.Combine(decisions),
        };
    }

    /// <summary>
    /// The decision predict applies under <paramref name="mode"/> with the runs <paramref name="runs"/> (run folders,
    /// bundles and ensemble files already resolved): the first run's under <c>auto</c> (as for its tuned thresholds),
    /// none under <c>none</c>.
    /// </summary>
    /// <exception cref="MedSegException">The mode is unknown.</exception>
    public static PostProcessingDecision? Decision(string mode, IReadOnlyList<string> runs) => mode switch
    {
        "none" => null,
        "auto" => runs.Count == 0 ? null : Read(runs[0]),
        _ => throw new MedSegException($"--postprocess {mode} is unknown; valid: {string.Join(", ", Modes)}."),
    };

    /// <summary>
    /// The thresholds and post-processing predict uses: what the user gave, with the gaps filled from
    /// <paramref name="tuned"/> (an ensemble file's or the first run's <c>tuned.json</c>: thresholds, and the minimum pixel
    /// count unless given) and the classes that keep their largest component from the first run's decision under
    /// <paramref name="mode"/> (<see cref="Decision"/>), which is returned too.
    /// </summary>
    public static (IReadOnlyList<double>? Thresholds, PostProcessOptions? PostProcess, PostProcessingDecision? Decision) Fill(
        IReadOnlyList<double>? thresholds, PostProcessOptions? postProcess, string mode, IReadOnlyList<string> runs, (IReadOnlyList<double>? Thresholds, int MinPixels) tuned)
    {
        if (tuned.Thresholds is not null)
        {
            thresholds ??= tuned.Thresholds;
            postProcess = (postProcess ?? PostProcessOptions.None) is { MinPixels: null } p ? p with { MinPixels = tuned.MinPixels } : postProcess;
        }
        var decision = Decision(mode, runs);
        if (decision is not null)
        {
            postProcess = (postProcess ?? PostProcessOptions.None) with { KeepLargestClasses = decision.KeepLargest };
        }
        return (thresholds, postProcess, decision);
    }

    /// <summary>One line for the user: what <paramref name="mode"/> applies (<paramref name="decision"/>, the first of <paramref name="runs"/>'s), and why.</summary>
    public static string Describe(string mode, PostProcessingDecision? decision, IReadOnlyList<string> runs)
    {
        if (mode == "none")
        {
            return "post-processing: none decided on validation (--postprocess none)";
        }
        if (decision is null)
        {
            return $"post-processing: none decided on validation ({runs.FirstOrDefault()} has no {RunPaths.PostProcessingFile}: its training finished no epoch, or an older MedSeg trained it); add --keep-largest or --min-component N to clean up yourself";
        }
        var kept = decision.Classes.Where(c => c.KeepLargest).Select(c => c.Class).ToArray();
        if (decision.FromTrainingLabels)
        {
            return kept.Length == 0
                ? "post-processing: none (no held-out fold to score it on, and no class is one connected piece in every training label)"
                : $"post-processing: largest component kept for {string.Join(", ", kept)} (no held-out fold: each is one connected piece in every training label, so a second piece is a false positive; --postprocess none turns it off)";
        }
        return kept.Length == 0
            ? $"post-processing: none (keeping the largest component raised no class's validation Dice on {decision.CaseDays} case-days)"
            : $"post-processing: largest component kept for {string.Join(", ", kept)} (decided on {decision.CaseDays} validation case-days; --postprocess none turns it off)";
    }

    private static PostProcessingDecision ReadFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PostProcessingDecision>(File.ReadAllText(path), RunPaths.Json)
                ?? throw new MedSegException($"{path} is empty; delete it (predict then applies no post-processing) or train the run again.");
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{path} is not a post-processing decision ({e.Message}); delete it (predict then applies no post-processing) or train the run again.");
        }
    }
}
