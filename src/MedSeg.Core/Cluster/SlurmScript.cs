using System.Globalization;
using System.Text;

namespace MedSeg.Core.Cluster;

/// <summary>
/// A plan as one bash script that submits it to Slurm: each stage is an <c>sbatch</c> job (a job array,
/// <c>--array=0-N</c>, where the task index matters: <c>SLURM_ARRAY_TASK_ID</c> becomes <c>--fold</c> / <c>--shard</c>),
/// held with <c>--dependency=afterok:</c> on every job of the wave before, so a failed fold or shard stops what needs it.
/// The job scripts go to <c>sbatch</c> on standard input, so nothing but this file is needed.
/// </summary>
public static class SlurmScript
{
    private const string TaskVariable = "${SLURM_ARRAY_TASK_ID}";

    public static string Write(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var o = plan.Options;
        var workDir = ShellWord.Quote(o.WorkDir);
        var text = new StringBuilder();
        text.Append("#!/usr/bin/env bash\n")
            .Append("# MedSeg jobs for Slurm, written by 'medseg jobs'. Submit from a login node: bash submit.sh\n")
            .Append("# Every job runs in the shared folder below; run folders there are the only state between jobs.\n")
            .Append("set -euo pipefail\n")
            .Append(CultureInfo.InvariantCulture, $"cd {workDir}\n")
            .Append("mkdir -p logs runs parts\n");
        var previous = new List<string>();
        foreach (var wave in plan.Waves)
        {
            var current = new List<string>();
            foreach (var stage in wave)
            {
                var variable = "job_" + stage.Name.Replace('-', '_');
                var indexed = stage.Arguments.Any(a => a.Contains(JobStage.Index, StringComparison.Ordinal));
                var options = new List<string> { "--parsable", $"--job-name=medseg-{stage.Name}", $"--cpus-per-task={o.Cpus}" };
                if (indexed)
                {
                    options.Add($"--array=0-{stage.Tasks - 1}");
                }
                if (stage.UsesDevice && o.Device == "cuda")
                {
                    options.Add("--gres=gpu:1");
                }
                if (previous.Count > 0)
                {
                    options.Add("--dependency=afterok:" + string.Join(":", previous.Select(p => "${" + p + "}")));
                }
                options.Add(indexed ? "--output=logs/%x-%a.out" : "--output=logs/%x.out");
                var command = string.Join(" ", stage.Arguments.Prepend(o.Medseg).Select(a => ShellWord.Quote(a, JobStage.Index, TaskVariable)));
                text.Append(CultureInfo.InvariantCulture, $"\n# {stage.Name}: {Describe(stage)}\n")
                    .Append(CultureInfo.InvariantCulture, $"{variable}=$(sbatch {string.Join(" ", options.Select(w => w.StartsWith("--dependency", StringComparison.Ordinal) ? $"\"{w}\"" : w))} <<'MEDSEG_JOB'\n")
                    .Append("#!/usr/bin/env bash\nset -euo pipefail\n")
                    .Append(CultureInfo.InvariantCulture, $"cd {workDir}\n")
                    .Append(CultureInfo.InvariantCulture, $"exec {command}\n")
                    .Append("MEDSEG_JOB\n)\n")
                    .Append(CultureInfo.InvariantCulture, $"{variable}=${{{variable}%%;*}}\n")
                    .Append(CultureInfo.InvariantCulture, $"echo \"{stage.Name}: job ${{{variable}}}\"\n");
                current.Add(variable);
            }
            previous = current;
        }
        return text.ToString();
    }

    /// <summary>"5 tasks, one per index" or "1 task" for the script's comments.</summary>
    internal static string Describe(JobStage stage) =>
        stage.Tasks == 1 ? "1 task" : string.Create(CultureInfo.InvariantCulture, $"{stage.Tasks} tasks, index 0..{stage.Tasks - 1}");
}
