using System.Diagnostics;
using System.Security.Cryptography;
using MedSeg.Core;
using MedSeg.Core.Cluster;
using MedSeg.Core.Inspection;
using MedSeg.Core.Sharding;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Torch.Inference;

namespace MedSeg.Tests.Torch.Cluster;

/// <summary>
/// The local proof of <c>medseg jobs</c>: the plan's predict shards run as separate <c>medseg</c> processes on this
/// machine (<see cref="LocalExecutor"/>), and the merged output equals a single process's output byte for byte; a
/// shard killed with SIGKILL leaves the other shard's output intact and no output of its own, and rerunning only that
/// shard completes the job.
/// </summary>
public sealed class ShardedPredictionTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("medseg-shards-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    /// <summary>The medseg program built beside the tests.</summary>
    private static readonly string[] Medseg = [Path.Combine(AppContext.BaseDirectory, "medseg")];

    private JobPlan Plan(string data, DatasetFormat format, int shards)
    {
        LabelMapPredictorTests.UntrainedRun(Path.Combine(work, "runs", "default"), UwMadisonSynth.Classes);
        return JobPlan.Build(new JobPlanOptions { Data = data, PredictData = data, Folds = 1, Shards = shards, Format = format, WorkDir = work });
    }

    /// <summary>The predict stage's command without <c>--shard</c>, writing <paramref name="output"/>: the single-process run.</summary>
    private static JobStage Unsharded(JobStage predict, string output)
    {
        var arguments = predict.ArgumentsFor("0").ToList();
        arguments.RemoveRange(arguments.IndexOf("--shard"), 2);
        arguments[arguments.IndexOf("--out") + 1] = output;
        return new JobStage("single", 0, 1, arguments, UsesDevice: true);
    }

    private void RunAll(JobStage stage, IReadOnlyList<int>? indexes = null, Action<int, Process>? started = null, int expectedCode = 0)
    {
        var codes = LocalExecutor.Run(stage, Medseg, work, parallel: 2, indexes, started);
        Assert.All(codes.Where(c => started is null || c.Key != 1), c => Assert.True(c.Value == expectedCode,
            $"{stage.Name} task {c.Key} exited {c.Value}: {File.ReadAllText(Path.Combine(work, LocalExecutor.LogPath(stage, c.Key)))}"));
    }

    [Fact]
    public void TwoShardProcessesMergeToTheSingleProcessSubmission()
    {
        UwMadisonSynth.Write(Path.Combine(work, "data"), new UwMadisonSynthOptions(Cases: 3, MaxDays: 2, Slices: 4, Height: 32, Width: 32, Seed: 3));
        var plan = Plan("data", DatasetFormat.UwMadison, shards: 2);
        var (predict, merge) = (plan.Stages.Single(s => s.Name == "predict"), plan.Stages.Single(s => s.Name == "merge"));

        RunAll(predict);
        Merge(merge);
        RunAll(Unsharded(predict, "single.csv"));

        var single = File.ReadAllBytes(Path.Combine(work, "single.csv"));
        Assert.Contains(File.ReadLines(Path.Combine(work, "single.csv")).Skip(1), row => !row.EndsWith(',')); // masks, not only empty rows
        Assert.Equal(single, File.ReadAllBytes(Path.Combine(work, "submission.csv")));
        var parts = Enumerable.Range(0, 2).Select(i => ShardRecord.Read(Path.Combine(work, "parts", $"part_{i}.csv"))).ToArray();
        Assert.All(parts, p => Assert.NotEmpty(p.Items)); // both processes had work
    }

    [Fact]
    public void AKilledShardLeavesTheOtherIntactAndARerunOfItAloneCompletesTheJob()
    {
        NnUnetSynth.Write(Path.Combine(work, "raw"), new UwMadisonSynthOptions(Cases: 6, MaxDays: 1, Slices: 6, Height: 32, Width: 40, Seed: 2));
        var plan = Plan(Path.Combine("raw", NnUnetSynth.DatasetFolderName(NnUnetSynth.DefaultDatasetId)), DatasetFormat.NnUnet, shards: 2);
        var (predict, merge) = (plan.Stages.Single(s => s.Name == "predict"), plan.Stages.Single(s => s.Name == "merge"));
        var parts = Path.Combine(work, "parts");
        var killed = false;

        // Shard 1 is killed once its first label map is written into its temporary folder, mid-way through its cases.
        var codes = LocalExecutor.Run(predict, Medseg, work, parallel: 2, started: (index, process) =>
        {
            if (index == 1)
            {
                _ = Task.Run(() =>
                {
                    while (!process.HasExited)
                    {
                        if (Directory.Exists(parts) && Directory.EnumerateDirectories(parts, ".part_1.partial-*").Any(d => Directory.EnumerateFiles(d, "*.nii.gz").Any()))
                        {
                            process.Kill();
                            killed = true;
                            return;
                        }
                        Thread.Sleep(2);
                    }
                });
            }
        });
        Assert.True(killed, $"shard 1 finished before it could be killed (exit {codes[1]})");
        Assert.NotEqual(0, codes[1]);
        Assert.Equal(0, codes[0]);
        Assert.False(Directory.Exists(Path.Combine(parts, "part_1")), "a killed shard left an output");
        var first = Hashes(Path.Combine(parts, "part_0"));
        Assert.Equal(3, first.Count);
        Assert.Contains("part_1", Assert.Throws<MedSegException>(() => ShardMerge.Merge([Path.Combine(parts, "part_0"), Path.Combine(parts, "part_1")], Path.Combine(work, "early"))).Message);

        RunAll(predict, indexes: [1]);
        RunAll(predict, indexes: [0]); // a finished shard run again does nothing and succeeds
        Assert.Contains("already complete", File.ReadAllText(Path.Combine(work, LocalExecutor.LogPath(predict, 0))));
        Assert.Equal(first, Hashes(Path.Combine(parts, "part_0")));
        Merge(merge);
        RunAll(Unsharded(predict, "single"));

        var single = Hashes(Path.Combine(work, "single"));
        Assert.Equal(6, single.Count);
        Assert.Equal(single, Hashes(Path.Combine(work, "predictions")));
    }

    /// <summary>The plan's merge command, in this process (<c>medseg merge PART... --out OUT</c>).</summary>
    private void Merge(JobStage merge)
    {
        var arguments = merge.Arguments.Select(a => a.StartsWith('-') || a == "merge" ? a : Path.Combine(work, a)).ToArray();
        ShardMerge.Merge(arguments[1..^2], arguments[^1]);
    }

    /// <summary>SHA-256 of every file in <paramref name="folder"/>, by name.</summary>
    internal static SortedDictionary<string, string> Hashes(string folder) =>
        new(Directory.EnumerateFiles(folder).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
