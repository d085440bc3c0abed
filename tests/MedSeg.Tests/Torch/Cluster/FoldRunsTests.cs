using MedSeg.Core;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Cluster;

/// <summary>
/// A run folder assembled from <c>fold_K/</c> copies (folds trained as separate jobs) is accepted when it is one
/// cross-validation, and refused with one error naming the fold otherwise.
/// </summary>
public sealed class FoldRunsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("medseg-folds-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static readonly string[] CaseDays = ["case1_day0", "case2_day0", "case3_day0", "case4_day0"];

    /// <summary>
    /// Fold <paramref name="fold"/> of 2 written into <c>RUN/FOLDER</c> as its own training job would (the weights file
    /// is empty: only the run's description is checked here).
    /// </summary>
    private string Fold(int fold, string? folder = null, int seed = 42, string[]? validation = null)
    {
        var path = Path.Combine(root, "run", folder ?? RunFolder.FoldFolder(fold));
        Directory.CreateDirectory(path);
        RunFolder.WriteJson(path, RunFolder.ConfigFile, new TrainConfig { Folds = 2, Fold = $"{fold}", Seed = seed });
        var validated = validation ?? CaseDays.Skip(2 * fold).Take(2).ToArray();
        RunFolder.WriteJson(path, RunFolder.InfoFile,
            LabelMapPredictorTests.UntrainedInfo(UwMadisonSynth.Classes) with { TrainCaseDays = CaseDays.Except(validated).ToArray(), ValidationCaseDays = validated });
        File.WriteAllBytes(Path.Combine(path, RunFolder.BestModelFile), []);
        return path;
    }

    private string Run => Path.Combine(root, "run");

    [Fact]
    public void AFolderOfEveryFoldOfOneSplitLoadsInFoldOrder()
    {
        Fold(1);
        Fold(0);
        Assert.Equal(["fold_0", "fold_1"], FoldRuns.Load(Run).Select(r => Path.GetFileName(r.Path)));
    }

    [Fact]
    public void AMissingFoldIsNamed()
    {
        Fold(0);
        var error = Assert.Throws<MedSegException>(() => FoldRuns.Load(Run)).Message;
        Assert.Contains("holds 1 of 2 folds: fold_1 missing", error);
        Assert.Single(FoldRuns.Load(Path.Combine(Run, "fold_0"))); // one fold named on its own is a run
    }

    [Fact]
    public void AnotherSeedIsNamed()
    {
        Fold(0);
        var other = Fold(1, seed: 7);
        var error = Assert.Throws<MedSegException>(() => FoldRuns.Load(Run)).Message;
        Assert.Contains($"{other} was trained with --seed 7", error);
    }

    [Fact]
    public void AFoldCopiedUnderTheWrongNameIsNamed()
    {
        Fold(0);
        Fold(0, folder: "fold_1");
        Assert.Contains("holds fold 0", Assert.Throws<MedSegException>(() => FoldRuns.Load(Run)).Message);
    }

    [Fact]
    public void FoldsOfAnotherSplitAreRefused()
    {
        Fold(0);
        Fold(1, validation: ["case2_day0", "case4_day0"]);
        var error = Assert.Throws<MedSegException>(() => FoldRuns.Load(Run)).Message;
        Assert.Contains("both validate case2_day0", error);
    }
}
