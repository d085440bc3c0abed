using MedSeg.Core.IO;
using MedSeg.Core.Sharding;

namespace MedSeg.Tests.Cli;

/// <summary><c>medseg jobs</c>, <c>merge</c> and <c>predict --shard</c> as a newcomer meets them: files listed, one-line errors with exit code 2.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class ClusterCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-cluster-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static string OneErrorLine((int Code, string Out, string Err) result)
    {
        Assert.Equal(2, result.Code);
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("medseg: error: ", line);
        return line;
    }

    [Fact]
    public void JobsWithDefaultsListsTheFilesItWrote()
    {
        var output = Path.Combine(root, "jobs");
        var (code, stdout, stderr) = CliRunner.Run("jobs", "--data", "train", "--predict-data", "test", "--format", "nnunet", "--out", output);

        Assert.True(code == 0, stderr);
        Assert.Contains(Path.Combine(output, "slurm/submit.sh"), stdout);
        Assert.Contains(Path.Combine(output, "kubernetes/0-train-default.yaml"), stdout);
        Assert.Contains("--data runs/default/fold_0/preprocessed", File.ReadAllText(Path.Combine(output, "slurm/submit.sh")));
        Assert.Contains("not empty", OneErrorLine(CliRunner.Run("jobs", "--data", "train", "--predict-data", "test", "--format", "nnunet", "--out", Path.Combine(output, "slurm"))));
    }

    [Fact]
    public void JobsOnDataThatIsNotHereAsksForTheFormat() =>
        Assert.Contains("--format", OneErrorLine(CliRunner.Run("jobs", "--data", Path.Combine(root, "elsewhere"), "--predict-data", "x", "--out", Path.Combine(root, "jobs"))));

    [Fact]
    public void AShardOutsideItsCountIsOneError() =>
        Assert.Contains("--shard '2/2'", OneErrorLine(CliRunner.Run("predict", "--model", "run", "--data", root, "--out", Path.Combine(root, "p.csv"), "--shard", "2/2")));

    [Fact]
    public void MergeNamesTheMissingShard()
    {
        var items = new[] { new ShardItem("case1_day0", "case1", 1), new ShardItem("case2_day0", "case2", 1) };
        var part = Path.Combine(root, "part_0.csv");
        ShardPartition.Plan(items, new Shard(0, 2), ShardRecord.Submission, "s").Write(part);
        SubmissionCsv.Write(part, [new SubmissionRow("case1_day0_slice_0001", "stomach", "")]);

        var line = OneErrorLine(CliRunner.Run("merge", part, "--out", Path.Combine(root, "merged.csv")));

        Assert.Contains("shard 1/2 is missing", line);
        Assert.False(File.Exists(Path.Combine(root, "merged.csv")));
    }
}
