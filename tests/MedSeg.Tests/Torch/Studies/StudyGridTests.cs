using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Synthetic;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;
using MedSeg.Torch.Studies;
using MedSeg.Torch.Training;

namespace MedSeg.Tests.Torch.Studies;

/// <summary>
/// The grid of <c>medseg compare</c>: <c>--archs</c> and <c>--train-sizes</c> parsed and checked against the modes and
/// the model zoo, nested training-case subsets, and convergence to 95 % of the best validation Dice.
/// </summary>
public sealed class StudyGridTests
{
    [Fact]
    public void FamiliesZooNamesAndPairsMapToANetworkPerMode()
    {
        var archs = StudyArchitecture.Parse(" unet, CapsNet ,fpn,segresnet,fpn/unet3d", "residualunet3d");
        Assert.Equal(["unet", "capsnet", "fpn", "segresnet", "fpn/unet3d"], archs.Select(a => a.Name));
        Assert.Equal(("unet", "residualunet3d"), (archs[0].NetworkFor("2.5d"), archs[0].NetworkFor("3d")));
        Assert.Equal(("segcaps", "capsnet3d"), (archs[1].NetworkFor("2d"), archs[1].NetworkFor("3d")));
        Assert.Equal(("fpn", null), (archs[2].NetworkFor("2d"), archs[2].NetworkFor("3d")));
        Assert.Equal((null, "segresnet"), (archs[3].NetworkFor("2d"), archs[3].NetworkFor("3d")));
        Assert.Equal(("fpn", "unet3d"), (archs[4].NetworkFor("2d"), archs[4].NetworkFor("3d")));
        archs[0].Require(["2d", "2.5d", "3d"]);
        archs[2].Require(["2d", "2.5d"]);
        archs[4].Require(["2d", "3d"]);
    }

    [Fact]
    public void CapsuleNetworksKeepTheirLevelsWhileTheUNetsTakeLevels()
    {
        var options = new ModeComparisonOptions { Config = new TrainConfig { Features = 16, Levels = 3 } };
        var (unet, capsnet) = (StudyArchitecture.Parse("unet", "unet3d")[0], StudyArchitecture.Parse("capsnet", "unet3d")[0]);
        Assert.Equal(3, options.ConfigFor("3d", unet).Levels);
        var capsule = options.ConfigFor("3d", capsnet);
        Assert.Equal(("capsnet3d", null, 16), (capsule.Arch, capsule.Levels, capsule.Features));
        using var model = TrainingNetworks.Create(capsule, 2);
        Assert.Equal("segcaps", options.ConfigFor("2d", capsnet).Arch);
    }

    [Theory]
    [InlineData("", "--archs '' names no architecture")]
    [InlineData("unet,UNET", "--archs unet,UNET names unet twice")]
    [InlineData("fpn/", "--archs fpn/: 'fpn/' is not a pair SLICE/VOLUME")]
    [InlineData("a/b/c", "'a/b/c' is not a pair")]
    public void MalformedArchsAreRefused(string text, string message)
    {
        var error = Assert.Throws<MedSegException>(() => StudyArchitecture.Parse(text, "unet3d"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AnArchitectureWithoutANetworkForAModeIsRefusedNamingTheOption()
    {
        var fpn = StudyArchitecture.Parse("fpn", "unet3d")[0];
        Assert.Equal("--archs fpn has no 3D network for mode 3d; leave 3d out of --modes, or pair it with one as fpn/unet3d.",
            Assert.Throws<MedSegException>(() => fpn.Require(["2d", "3d"])).Message);
        var segresnet = StudyArchitecture.Parse("segresnet", "unet3d")[0];
        Assert.StartsWith("--archs segresnet has no 2D network for mode 2.5d", Assert.Throws<MedSegException>(() => segresnet.Require(["2.5d"])).Message);
        var swapped = StudyArchitecture.Parse("unet3d/fpn", "unet3d")[0];
        Assert.StartsWith("--archs unet3d/fpn: unet3d is a 3D network and cannot train mode 2d", Assert.Throws<MedSegException>(() => swapped.Require(["2d"])).Message);
        var unknown = StudyArchitecture.Parse("transunet", "unet3d")[0];
        Assert.StartsWith("--archs transunet: transunet (its 2D network for mode 2d) is not in this build's model zoo; valid 2D networks: unet,",
            Assert.Throws<MedSegException>(() => unknown.Require(["2d"])).Message);
    }

    [Fact]
    public void ANetworkWithoutTheEncoderTrainsWithNone()
    {
        Assert.Equal("resnet18", StudyArchitecture.EncoderFor("fpn", "resnet18"));
        Assert.Equal(ModelFactory.NoEncoder, StudyArchitecture.EncoderFor("unet3d", "resnet18"));
        var options = new ModeComparisonOptions { Config = new TrainConfig { Encoder = "resnet18" } };
        var config = options.ConfigFor("3d", StudyArchitecture.Parse("fpn/segresnet", "unet3d")[0]);
        Assert.Equal(("3d", "segresnet", ModelFactory.NoEncoder), (config.Mode, config.Arch, config.Encoder));
        config = options.ConfigFor("2.5d", StudyArchitecture.Parse("fpn/segresnet", "unet3d")[0]);
        Assert.Equal(("2.5d", "fpn", "resnet18"), (config.Mode, config.Arch, config.Encoder));
    }

    [Fact]
    public void TrainSizesArePercentagesOrCounts()
    {
        var sizes = TrainingSize.Parse("100%, 50%,12.5%,3");
        Assert.Equal([8, 4, 1, 3], sizes.Select(s => s.Cases(8)));
        // 50 % of 3 cases is 1.5: rounded half away from zero.
        Assert.Equal(2, sizes[1].Cases(3));
    }

    [Theory]
    [InlineData("", "--train-sizes '' names no size")]
    [InlineData("50%,half", "--train-sizes 50%,half: 'half' is not a positive whole number of cases or a percentage")]
    [InlineData("0", "'0' is not a positive whole number")]
    [InlineData("-2", "'-2' is not a positive whole number")]
    [InlineData("150%", "'150%' is not a percentage above 0 and at most 100")]
    [InlineData("0%", "'0%' is not a percentage above 0")]
    [InlineData("4,4", "--train-sizes 4,4 names 4 twice")]
    public void MalformedTrainSizesAreRefused(string text, string message)
    {
        var error = Assert.Throws<MedSegException>(() => TrainingSize.Parse(text));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ASizeThatKeepsNoCaseOrTooManyIsRefusedNamingTheOption()
    {
        Assert.Equal("--train-sizes 10% leaves no training case: the fold has 3 training case(s) and 10% of them rounds to 0; use a larger size (at least 17%) or a count such as 1.",
            Assert.Throws<MedSegException>(() => TrainingSize.Parse("10%")[0].Cases(3)).Message);
        Assert.Equal("--train-sizes 5 asks for 5 training cases but the fold has 4; give at most 4 (or 100%).",
            Assert.Throws<MedSegException>(() => TrainingSize.Parse("5")[0].Cases(4)).Message);
    }

    [Fact]
    public void SmallerTrainingSetsAreNestedInLargerOnesAndTheValidationStays()
    {
        using var folder = new TempFolder();
        UwMadisonSynth.Write(folder.Path, new UwMadisonSynthOptions(Cases: 8, MaxDays: 2, Slices: 2, Height: 32, Width: 32, Seed: 5));
        var data = UwMadisonDataset.Load(folder.Path);
        var config = new TrainConfig { Folds = 4, Fold = "1", Seed = 11 };
        var fold = FoldSplit.Of(data, config);
        Assert.Equal(6, fold.TrainCases.Count);

        var subsets = new[] { 6, 4, 2, 1 }.Select(n => FoldSplit.Of(data, config with { TrainCases = n })).ToArray();
        Assert.Equal([6, 4, 2, 1], subsets.Select(s => s.TrainCases.Count));
        for (var i = 1; i < subsets.Length; i++)
        {
            Assert.Subset(subsets[i - 1].Train.ToHashSet(), subsets[i].Train.ToHashSet());
        }
        Assert.All(subsets, s => Assert.Equal(fold.Validation, s.Validation));
        // Every case-day of a kept case trains.
        Assert.All(subsets, s => Assert.Equal(fold.Train.Where(c => s.TrainCases.Contains(c.Case)), s.Train));
        // The same seed draws the same cases; the draw depends on the seed.
        Assert.Equal(subsets[2].Train, FoldSplit.Of(data, config with { TrainCases = 2 }).Train);
        var drawn = Enumerable.Range(0, 6).Select(seed => string.Join(",", fold.KeepTrainingCases(2, seed).TrainCases.Order())).Distinct();
        Assert.True(drawn.Count() > 1, "every seed kept the same two cases");

        Assert.Equal("train_cases 7 must be from 1 to the 6 training cases of this fold.",
            Assert.Throws<MedSegException>(() => FoldSplit.Of(data, config with { TrainCases = 7 })).Message);
    }

    private static EpochRecord Epoch(int epoch, double dice, double seconds) => new(epoch, 0.5, 1e-3, dice, dice, 0.1, seconds, false);

    [Fact]
    public void ConvergenceIsTheFirstEpochAt95PercentOfTheBestDice()
    {
        // Best 0.80 at epoch 5; 95 % of it is 0.76, first reached at epoch 3 (0.77), after 10 + 20 + 30 s.
        var convergence = Convergence.From([Epoch(1, 0.2, 10), Epoch(2, 0.75, 20), Epoch(3, 0.77, 30), Epoch(4, 0.5, 40), Epoch(5, 0.8, 50)]);
        Assert.Equal((0.8, 3, 60.0), (convergence.BestDice, convergence.Epochs, convergence.Seconds));

        // Epochs without validation count in the time but are never the converged epoch.
        convergence = Convergence.From([Epoch(1, double.NaN, 5), Epoch(2, 0.4, 6), Epoch(3, double.NaN, 7), Epoch(4, 0.4, 8)]);
        Assert.Equal((0.4, 2, 11.0), (convergence.BestDice, convergence.Epochs, convergence.Seconds));

        convergence = Convergence.From([Epoch(1, double.NaN, 5)]);
        Assert.True(double.IsNaN(convergence.BestDice));
        Assert.Null(convergence.Epochs);
        Assert.Null(convergence.Seconds);
    }
}
