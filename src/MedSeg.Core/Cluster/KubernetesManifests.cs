using System.Globalization;
using System.Text;
using MedSeg.Core.Cluster.Kubernetes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace MedSeg.Core.Cluster;

/// <summary>
/// A plan as Kubernetes Indexed Jobs (<c>completionMode: Indexed</c>, one pod per fold or shard; Kubernetes puts the
/// index in <c>JOB_COMPLETION_INDEX</c>, which the arguments read as <c>$(JOB_COMPLETION_INDEX)</c>), all mounting one
/// PersistentVolumeClaim at the work folder, with a GPU limit (<c>nvidia.com/gpu: 1</c>) for training and prediction on
/// <c>--device cuda</c>. Kubernetes has no dependencies between Jobs, so <see cref="SubmitScript"/> applies one wave,
/// waits for its Jobs to complete (stopping at a failed one), then applies the next.
/// </summary>
public static class KubernetesManifests
{
    private const string IndexVariable = "$(JOB_COMPLETION_INDEX)";

    /// <summary>The Job of <paramref name="stage"/>.</summary>
    public static KubernetesJob Job(JobPlan plan, JobStage stage)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stage);
        var o = plan.Options;
        var labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "medseg", ["medseg/stage"] = stage.Name };
        var gpu = stage.UsesDevice && o.Device == "cuda";
        return new KubernetesJob
        {
            Metadata = new ObjectMeta { Name = JobName(stage), Labels = labels },
            Spec = new JobSpec
            {
                Completions = stage.Tasks,
                Parallelism = stage.Tasks,
                // A retried prediction shard finds its finished output or starts afresh; a training fold would find its
                // run folder taken (resume it with medseg train --resume), so only non-training stages are retried.
                BackoffLimitPerIndex = stage.Arguments[0] == "train" ? 0 : 2,
                Template = new PodTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = labels },
                    Spec = new PodSpec
                    {
                        Containers =
                        [
                            new Container
                            {
                                Name = "medseg",
                                Image = o.Image,
                                WorkingDir = o.WorkDir,
                                Command = [o.Medseg],
                                Args = [.. stage.ArgumentsFor(IndexVariable)],
                                Resources = new ResourceRequirements
                                {
                                    Requests = new() { ["cpu"] = o.Cpus.ToString(CultureInfo.InvariantCulture) },
                                    Limits = gpu ? new() { ["nvidia.com/gpu"] = "1" } : null,
                                },
                                VolumeMounts = [new VolumeMount { Name = "shared", MountPath = o.WorkDir }],
                            },
                        ],
                        Volumes = [new Volume { Name = "shared", PersistentVolumeClaim = new PersistentVolumeClaimVolumeSource { ClaimName = o.VolumeClaim } }],
                    },
                },
            },
        };
    }

    /// <summary>The Job's name: <c>medseg-STAGE</c>.</summary>
    public static string JobName(JobStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return "medseg-" + stage.Name;
    }

    /// <summary>The file name of a stage's manifest: wave, then stage (<c>0-train-default.yaml</c>), so they sort in order.</summary>
    public static string FileName(JobStage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return string.Create(CultureInfo.InvariantCulture, $"{stage.Wave}-{stage.Name}.yaml");
    }

    /// <summary>The naming and quoting the manifests are written (and can be read back) with: the API's camelCase, strings that look like numbers quoted.</summary>
    public static INamingConvention Naming => CamelCaseNamingConvention.Instance;

    /// <summary><paramref name="job"/> as a YAML document (null fields left out).</summary>
    public static string Yaml(KubernetesJob job) =>
        new SerializerBuilder().WithNamingConvention(Naming).ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .WithQuotingNecessaryStrings().DisableAliases().Build().Serialize(job);

    /// <summary>A bash script that applies the manifests beside it wave by wave, waiting for each wave to complete.</summary>
    public static string SubmitScript(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append("#!/usr/bin/env bash\n")
            .Append("# MedSeg jobs for Kubernetes, written by 'medseg jobs'. Submit with: bash submit.sh\n")
            .Append(CultureInfo.InvariantCulture, $"# Needs kubectl for the cluster and a ReadWriteMany PersistentVolumeClaim {plan.Options.VolumeClaim} holding the data.\n")
            .Append("# Kubernetes Jobs have no dependencies, so each wave is applied once the one before has completed.\n")
            .Append("set -euo pipefail\n")
            .Append("here=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"\n")
            .Append("wait_job() {\n")
            .Append("  while :; do\n")
            .Append("    state=$(kubectl get job \"$1\" -o jsonpath='{.status.conditions[?(@.status==\"True\")].type}')\n")
            .Append("    case \"$state\" in\n")
            .Append("      *Complete*) echo \"$1 complete\"; return 0 ;;\n")
            .Append("      *Failed*) echo \"$1 failed: kubectl logs job/$1\" >&2; return 1 ;;\n")
            .Append("    esac\n")
            .Append("    sleep 30\n")
            .Append("  done\n")
            .Append("}\n");
        foreach (var wave in plan.Waves)
        {
            text.Append('\n');
            foreach (var stage in wave)
            {
                text.Append(CultureInfo.InvariantCulture, $"kubectl apply -f \"$here/{FileName(stage)}\"   # {stage.Name}: {SlurmScript.Describe(stage)}\n");
            }
            foreach (var stage in wave)
            {
                text.Append(CultureInfo.InvariantCulture, $"wait_job {JobName(stage)}\n");
            }
        }
        return text.ToString();
    }
}
