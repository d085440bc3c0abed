using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Core.Inspection;

namespace MedSeg.Core.Cluster;

/// <summary>
/// The jobs of a study, in waves: every configuration's folds train (wave 0, one task per fold, each into
/// <c>runs/CONFIG/fold_K</c>); <c>tune</c> searches thresholds (one run) or ensemble weights and thresholds (several,
/// into <c>ensemble.json</c>) on the out-of-fold predictions; <c>predict --shard I/N</c> segments the prediction data
/// (one task per shard, into <c>parts/</c>); <c>merge</c> writes <c>submission.csv</c> (UW-Madison data) or the
/// <c>predictions/</c> folder. Run folders on shared storage are the only state between jobs.
/// </summary>
public sealed partial class JobPlan
{
    private JobPlan(JobPlanOptions options, IReadOnlyList<JobStage> stages)
    {
        Options = options;
        Stages = stages;
    }

    public JobPlanOptions Options { get; }

    public IReadOnlyList<JobStage> Stages { get; }

    /// <summary>The stages grouped by wave, in order.</summary>
    public IReadOnlyList<IReadOnlyList<JobStage>> Waves => Stages.GroupBy(s => s.Wave).OrderBy(g => g.Key).Select(g => (IReadOnlyList<JobStage>)g.ToArray()).ToArray();

    /// <exception cref="MedSegException">A count below 1, an unknown device, two configurations of one name, or a layout that cannot be recognised.</exception>
    public static JobPlan Build(JobPlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Folds < 1 || options.Shards < 1 || options.Cpus < 1)
        {
            throw new MedSegException($"--folds {options.Folds}, --shards {options.Shards} and --cpus {options.Cpus} must each be 1 or more.");
        }
        if (options.Device is not ("cpu" or "cuda"))
        {
            throw new MedSegException($"--device {options.Device} is unknown; valid: cpu, cuda.");
        }
        var format = options.Format != DatasetFormat.Auto ? options.Format
            : Directory.Exists(options.Data) ? DatasetFormats.Detect(options.Data)
            : throw new MedSegException($"--data {options.Data} is not on this machine, so its layout is unknown; give --format uwmgi, nnunet or folder.");
        var configs = options.Configs.Count == 0 ? [(Name: "default", File: (string?)null)]
            : options.Configs.Select(c => (Name: ConfigName(c), File: (string?)c)).ToArray();
        if (configs.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1) is { } twin)
        {
            throw new MedSegException($"--config {string.Join(" and ", twin.Select(c => c.File))} would both train into runs/{twin.Key}; give the config files different names.");
        }
        string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
        var stages = new List<JobStage>();
        foreach (var (name, file) in configs)
        {
            stages.Add(new JobStage($"train-{name}", 0, options.Folds,
            [
                "train", "--data", options.Data, .. file is null ? Array.Empty<string>() : ["--config", file],
                "--folds", Text(options.Folds), "--fold", JobStage.Index, "--seed", Text(options.Seed), "--device", options.Device,
                "--out", $"runs/{name}/fold_{JobStage.Index}",
            ], UsesDevice: true));
        }
        var runs = configs.Select(c => $"runs/{c.Name}").ToArray();
        var tune = options.Folds > 1 && format != DatasetFormat.Folder;
        if (tune)
        {
            var truth = format == DatasetFormat.NnUnet ? $"{runs[0]}/fold_0/preprocessed" : options.Data;
            stages.Add(new JobStage("tune", 1, 1,
                ["tune", .. runs.SelectMany(r => new[] { "--oof", r }), "--data", truth, .. runs.Length > 1 ? new[] { "--out", "ensemble.json" } : []],
                UsesDevice: false));
        }
        var wave = tune ? 2 : 1;
        var submission = format == DatasetFormat.UwMadison;
        string Part(string index) => submission ? $"parts/part_{index}.csv" : $"parts/part_{index}";
        var models = tune && runs.Length > 1 ? ["--model", "ensemble.json"] : runs.SelectMany(r => new[] { "--model", r }).ToArray();
        stages.Add(new JobStage("predict", wave, options.Shards,
            ["predict", .. models, "--data", options.PredictData, "--out", Part(JobStage.Index), "--shard", $"{JobStage.Index}/{Text(options.Shards)}", "--device", options.Device],
            UsesDevice: true));
        stages.Add(new JobStage("merge", wave + 1, 1,
            ["merge", .. Enumerable.Range(0, options.Shards).Select(i => Part(Text(i))), "--out", submission ? "submission.csv" : "predictions"],
            UsesDevice: false));
        return new JobPlan(options, stages);
    }

    /// <summary>A configuration's name from its file (lower case letters, digits and '-', as Kubernetes names need).</summary>
    private static string ConfigName(string file)
    {
        var name = NotNameCharacters().Replace(Path.GetFileNameWithoutExtension(file).ToLowerInvariant(), "-").Trim('-');
        return name.Length > 0 ? name : throw new MedSegException($"--config {file}: its file name gives no job name; name it with letters or digits.");
    }

    [GeneratedRegex("[^a-z0-9-]+", RegexOptions.CultureInvariant)]
    private static partial Regex NotNameCharacters();
}
