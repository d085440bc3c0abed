using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.Cluster;
using MedSeg.Core.Cluster.Kubernetes;
using MedSeg.Core.Inspection;
using YamlDotNet.Serialization;

namespace MedSeg.Tests.Core.Cluster;

/// <summary>
/// <c>medseg jobs</c>: the plan's stages, a Slurm script that bash parses, and Kubernetes Indexed Jobs whose YAML
/// reads back into the API's fields.
/// </summary>
public sealed class JobPlanTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-jobs-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static JobPlan Plan(string device = "cuda", params string[] configs) => JobPlan.Build(new JobPlanOptions
    {
        Data = "data/uw madison",
        PredictData = "data/test",
        Configs = configs,
        Folds = 5,
        Shards = 3,
        Device = device,
        Format = DatasetFormat.UwMadison,
        WorkDir = "/shared/study",
    });

    [Fact]
    public void TwoConfigurationsTrainTheirFoldsThenTuneAnEnsemblePredictShardsAndMerge()
    {
        var plan = Plan("cuda", "configs/unet.json", "configs/2.5D net.json");

        Assert.Equal(["train-unet", "train-2-5d-net", "tune", "predict", "merge"], plan.Stages.Select(s => s.Name));
        Assert.Equal([0, 0, 1, 2, 3], plan.Stages.Select(s => s.Wave));
        Assert.Equal([5, 5, 1, 3, 1], plan.Stages.Select(s => s.Tasks));
        Assert.Equal(["train", "--data", "data/uw madison", "--config", "configs/unet.json", "--folds", "5", "--fold", "2", "--seed", "42", "--device", "cuda", "--out", "runs/unet/fold_2"],
            plan.Stages[0].ArgumentsFor("2"));
        Assert.Equal(["tune", "--oof", "runs/unet", "--oof", "runs/2-5d-net", "--data", "data/uw madison", "--out", "ensemble.json"], plan.Stages[2].Arguments);
        Assert.Equal(["predict", "--model", "ensemble.json", "--data", "data/test", "--out", "parts/part_1.csv", "--shard", "1/3", "--device", "cuda"],
            plan.Stages[3].ArgumentsFor("1"));
        Assert.Equal(["merge", "parts/part_0.csv", "parts/part_1.csv", "parts/part_2.csv", "--out", "submission.csv"], plan.Stages[4].Arguments);
    }

    [Fact]
    public void FolderDataHasNoTuneStageAndMergesLabelMapFolders()
    {
        var plan = JobPlan.Build(new JobPlanOptions { Data = "camvid", PredictData = "camvid", Format = DatasetFormat.Folder, Shards = 2 });
        Assert.Equal(["train-default", "predict", "merge"], plan.Stages.Select(s => s.Name));
        Assert.Equal(["merge", "parts/part_0", "parts/part_1", "--out", "predictions"], plan.Stages[2].Arguments);
    }

    [Fact]
    public void BadCountsDevicesNamesAndUnknownLayoutsAreOneErrorEach()
    {
        Assert.Contains("--shards 0", Assert.Throws<MedSegException>(() => JobPlan.Build(new JobPlanOptions { Data = "d", PredictData = "d", Shards = 0, Format = DatasetFormat.Folder })).Message);
        Assert.Contains("--device gpu", Assert.Throws<MedSegException>(() => Plan("gpu")).Message);
        Assert.Contains("runs/unet", Assert.Throws<MedSegException>(() => Plan("cpu", "a/unet.json", "b/unet.json")).Message);
        Assert.Contains("give --format", Assert.Throws<MedSegException>(() => JobPlan.Build(new JobPlanOptions { Data = Path.Combine(root, "absent"), PredictData = "d" })).Message);
    }

    [Fact]
    public void TheSlurmScriptParsesAndChainsArraysWithAfterok()
    {
        var files = JobFiles.Write(Plan("cuda", "configs/unet.json", "configs/2.5D net.json"), Path.Combine(root, "jobs"));
        var script = Path.Combine(root, "jobs", JobFiles.SlurmScriptPath);
        Assert.Contains(JobFiles.SlurmScriptPath, files);

        var check = Process.Start(new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true })!;
        var errors = check.StandardError.ReadToEnd();
        check.WaitForExit();
        Assert.True(check.ExitCode == 0, errors);

        var text = File.ReadAllText(script);
        Assert.Contains("--array=0-4 --gres=gpu:1", text);
        Assert.Contains("\"--dependency=afterok:${job_train_unet}:${job_train_2_5d_net}\"", text);
        Assert.Contains("--fold ${SLURM_ARRAY_TASK_ID}", text);
        Assert.Contains("--data 'data/uw madison'", text);
        Assert.Contains("--shard ${SLURM_ARRAY_TASK_ID}/3", text);
        Assert.DoesNotContain("gres", text.Split("# tune")[1].Split("# predict")[0]); // tune needs no GPU
    }

    [Fact]
    public void KubernetesJobsReadBackAsIndexedJobsWithTheSharedVolumeAndGpus()
    {
        var out_ = Path.Combine(root, "jobs");
        JobFiles.Write(Plan("cuda", "configs/unet.json"), out_);
        var reader = new DeserializerBuilder().WithNamingConvention(KubernetesManifests.Naming).Build();
        KubernetesJob Read(string file) => reader.Deserialize<KubernetesJob>(File.ReadAllText(Path.Combine(out_, JobFiles.KubernetesFolder, file)));

        var train = Read("0-train-unet.yaml");
        Assert.Equal(("batch/v1", "Job", "medseg-train-unet"), (train.ApiVersion, train.Kind, train.Metadata.Name));
        Assert.Equal(("Indexed", 5, 5), (train.Spec.CompletionMode, train.Spec.Completions, train.Spec.Parallelism));
        Assert.Equal(0, train.Spec.BackoffLimitPerIndex); // a retried fold would find its run folder taken
        var container = Assert.Single(train.Spec.Template.Spec.Containers);
        Assert.Equal("Never", train.Spec.Template.Spec.RestartPolicy);
        Assert.Equal(["medseg"], container.Command);
        Assert.Contains("$(JOB_COMPLETION_INDEX)", container.Args);
        Assert.Contains("runs/unet/fold_$(JOB_COMPLETION_INDEX)", container.Args);
        Assert.Equal("1", container.Resources!.Limits!["nvidia.com/gpu"]);
        Assert.Equal("/shared/study", Assert.Single(container.VolumeMounts).MountPath);
        Assert.Equal("medseg-shared", Assert.Single(train.Spec.Template.Spec.Volumes).PersistentVolumeClaim!.ClaimName);

        var predict = Read("2-predict.yaml");
        Assert.Equal((3, 2), (predict.Spec.Completions, predict.Spec.BackoffLimitPerIndex)); // a retried shard is idempotent
        Assert.Contains("$(JOB_COMPLETION_INDEX)/3", predict.Spec.Template.Spec.Containers[0].Args);
        Assert.Null(Read("1-tune.yaml").Spec.Template.Spec.Containers[0].Resources!.Limits);

        // Quantities and numbers-as-text stay strings in the YAML, as the API needs them.
        var raw = File.ReadAllText(Path.Combine(out_, JobFiles.KubernetesFolder, "2-predict.yaml"));
        Assert.Contains("nvidia.com/gpu: \"1\"", raw);
        Assert.Contains("cpu: \"4\"", raw);
        var submit = Path.Combine(out_, JobFiles.KubernetesFolder, JobFiles.SubmitScriptName);
        Assert.Contains("wait_job medseg-tune", File.ReadAllText(submit));
    }

    [Fact]
    public void OnCpuNoGpuIsRequested()
    {
        var plan = Plan("cpu");
        Assert.All(plan.Stages, s => Assert.Null(KubernetesManifests.Job(plan, s).Spec.Template.Spec.Containers[0].Resources!.Limits));
        Assert.DoesNotContain("gres", SlurmScript.Write(plan));
    }
}
