using System.Diagnostics;
using System.Text.Json;
using MedSeg.Core.IO;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Cli;

/// <summary>
/// <c>medseg train</c> killed with SIGKILL at chosen and at random points, then resumed each time, ends with weights
/// bit-identical to an uninterrupted run; after every kill the run folder reads as a run; while one process trains,
/// a second one on the same run folder is refused.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class CrashSafetyTests : IDisposable
{
    /// <summary>A 3D network small enough for an epoch of about a second on one thread.</summary>
    private static readonly string[] Tiny =
    [
        "--mode", "3d", "--arch", "unet3d", "--encoder", "none", "--features", "8", "--levels", "2", "--patch", "8x16x16", "--epochs", "6",
        "--steps-per-epoch", "4", "--batch-size", "2", "--folds", "3", "--fold", "0", "--threads", "1", "--seed", "3",
    ];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Training_killed_and_resumed_ends_bit_identical_to_an_uninterrupted_run()
    {
        var data = _folder.Combine("data");
        Assert.Equal(0, MedSegProcess.Run("synth", "--layout", "uwmgi", "--out", data, "--cases", "3", "--days", "1", "--slices", "8", "--size", "32x32", "--seed", "1").Code);
        var whole = _folder.Combine("whole");
        var (code, output) = MedSegProcess.Run(["train", "--data", data, "--out", whole, .. Tiny]);
        Assert.True(code == 0, output);

        var run = _folder.Combine("killed");
        var random = new Random(18);
        string[] resume = ["train", "--data", data, "--resume", run, "--threads", "1"];

        // 1: while the first resume point is being written (resume.tmp/ exists).
        KillWhen(["train", "--data", data, "--out", run, .. Tiny], _ => Directory.Exists(Path.Combine(run, Checkpoint.Folder + ".tmp")));
        // 2: a second writer is refused while a resumed run holds the folder; then the holder is killed.
        KillWhen(resume, process => Holds(run, process), () =>
        {
            var (refused, message) = MedSegProcess.Run(resume);
            Assert.True(refused == 2 && message.Contains("being written by process"), message);
        });
        // 3, 4: at random moments of the run (loading, a step, validation or saving).
        for (int kill = 0; kill < 2; kill++)
        {
            var delay = TimeSpan.FromMilliseconds(random.Next(2500, 6000));
            var clock = Stopwatch.StartNew();
            KillWhen(resume, _ => clock.Elapsed > delay);
        }
        (code, output) = MedSegProcess.Run(resume);
        Assert.True(code == 0, output);

        foreach (var file in new[] { RunFolder.BestModelFile, RunFolder.LastModelFile })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole, file)), File.ReadAllBytes(Path.Combine(run, file)));
        }
        Assert.Equal(Scores(whole), Scores(run));
        Assert.False(File.Exists(Path.Combine(run, FolderLock.FileName)));
    }

    /// <summary>Starts medseg, waits for <paramref name="condition"/> (polling every millisecond), runs <paramref name="meanwhile"/>, kills it and checks the run folder.</summary>
    private void KillWhen(string[] args, Func<MedSegProcess, bool> condition, Action? meanwhile = null)
    {
        var run = _folder.Combine("killed");
        using var process = MedSegProcess.Start(args);
        while (!condition(process) && !process.HasExited)
        {
            Thread.Sleep(1);
        }
        meanwhile?.Invoke();
        process.Kill();
        Assert.True(Directory.Exists(run), process.Output);
        if (File.Exists(Path.Combine(run, RunFolder.ConfigFile)))
        {
            _ = RunFolder.Load(run, requireModel: false);
            _ = Scores(run);
        }
    }

    /// <summary>Whether <paramref name="process"/> holds the run folder's lock (a killed run's stale lock may be there before).</summary>
    private static bool Holds(string run, MedSegProcess process)
    {
        try
        {
            return File.ReadAllText(Path.Combine(run, FolderLock.FileName)).StartsWith($"{process.Id} ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Each logged epoch's loss and validation score (the times differ between runs).</summary>
    private static (double Loss, double Score)[] Scores(string run)
    {
        var log = Path.Combine(run, RunFolder.LogFile);
        return !File.Exists(log) ? [] : File.ReadAllLines(log).Select(line =>
        {
            using var record = JsonDocument.Parse(line);
            // An epoch without validation (--val-every) logs its score as "NaN".
            var score = record.RootElement.GetProperty("val_score");
            return (record.RootElement.GetProperty("train_loss").GetDouble(), score.ValueKind == JsonValueKind.Number ? score.GetDouble() : double.NaN);
        }).ToArray();
    }
}
