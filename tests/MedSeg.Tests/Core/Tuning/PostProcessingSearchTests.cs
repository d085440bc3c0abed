using MedSeg.Core;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Tuning;

namespace MedSeg.Tests.Core.Tuning;

public class PostProcessingSearchTests
{
    private const int D = 8, H = 24, W = 24;

    /// <summary>Sets the box [z0, z1) × [y0, y1) × [x0, x1) of a D×H×W mask.</summary>
    private static void Box(byte[] mask, int z0, int z1, int y0, int y1, int x0, int x1)
    {
        for (var z = z0; z < z1; z++)
        {
            for (var y = y0; y < y1; y++)
            {
                for (var x = x0; x < x1; x++)
                {
                    mask[(z * H + y) * W + x] = 1;
                }
            }
        }
    }

    private static float[] Probabilities(byte[] mask) => [.. mask.Select(v => v == 1 ? 0.9f : 0.1f)];

    /// <summary>
    /// Class "organ": one true blob, predicted with a stray blob far away. Class "paired": two true blobs (left and
    /// right), both predicted, the second a little smaller.
    /// </summary>
    private static TuningCase Case(string id)
    {
        var organTruth = new byte[D * H * W];
        Box(organTruth, 2, 6, 4, 12, 4, 12);
        var organPred = (byte[])organTruth.Clone();
        Box(organPred, 1, 3, 18, 21, 18, 21);
        var pairedTruth = new byte[D * H * W];
        Box(pairedTruth, 2, 6, 14, 20, 2, 8);
        Box(pairedTruth, 2, 6, 14, 20, 14, 20);
        var pairedPred = new byte[D * H * W];
        Box(pairedPred, 2, 6, 14, 20, 2, 8);
        Box(pairedPred, 2, 6, 15, 20, 14, 20);
        return new TuningCase(id, D, H, W, [Probabilities(organPred), Probabilities(pairedPred)], [organTruth, pairedTruth]);
    }

    [Fact]
    public void Keeping_the_largest_component_is_adopted_where_it_removes_a_stray_blob_and_not_where_it_drops_a_true_component()
    {
        var decision = PostProcessingSearch.Decide(["organ", "paired"], [Case("a"), Case("b")], [0.5, 0.5]);

        Assert.Equal(2, decision.CaseDays);
        var organ = decision.Classes[0];
        // Organ: 256 true voxels, 18 stray ones: Dice 512/530 as predicted, 1 with the largest component only.
        Assert.True(organ.KeepLargest);
        Assert.Equal(512.0 / 530, organ.Dice!.Value, 9);
        Assert.Equal(1.0, organ.DiceKeepLargest!.Value, 9);
        Assert.Equal(2, organ.Cases);
        var paired = decision.Classes[1];
        // Paired: 288 true voxels, 144 + 120 predicted, all true: Dice 528/552; keeping the larger leaves 288/432.
        Assert.False(paired.KeepLargest);
        Assert.Equal(528.0 / 552, paired.Dice!.Value, 9);
        Assert.Equal(288.0 / 432, paired.DiceKeepLargest!.Value, 9);
        Assert.Equal([true, false], decision.KeepLargest);
    }

    [Fact]
    public void A_class_absent_from_prediction_and_truth_is_not_decided_and_folds_combine_by_case_count()
    {
        var empty = new TuningCase("e", D, H, W, [new float[D * H * W]], [new byte[D * H * W]]);
        var none = PostProcessingSearch.Decide(["organ"], [empty], [0.5]);
        Assert.Equal(new ClassPostProcessing("organ", false, null, null, 0), none.Classes[0]);

        // Fold 1 gains 0.1 on 1 case, fold 2 loses 0.05 on 3 cases: together the clean-up loses (0.1 - 0.15) / 4.
        var gains = new PostProcessingDecision(1, [ClassPostProcessing.Of("organ", 0.7, 0.8, 1)]);
        var loses = new PostProcessingDecision(3, [ClassPostProcessing.Of("organ", 0.8, 0.75, 3)]);
        var combined = PostProcessingDecision.Combine([gains, loses, none]);
        Assert.Equal(5, combined.CaseDays);
        Assert.False(combined.Classes[0].KeepLargest);
        Assert.Equal((0.7 + 3 * 0.8) / 4, combined.Classes[0].Dice!.Value, 9);
        Assert.Equal((0.8 + 3 * 0.75) / 4, combined.Classes[0].DiceKeepLargest!.Value, 9);
        Assert.True(PostProcessingDecision.Combine([gains]).Classes[0].KeepLargest);
        Assert.Throws<MedSegException>(() => PostProcessingSearch.Decide(["organ"], [], [0.5]));
    }

    [Fact]
    public void Without_a_held_out_fold_a_class_keeps_its_largest_component_when_every_training_label_draws_it_as_one_piece()
    {
        // Two training case-days of 4 classes: "organ" one blob in both; "paired" two blobs in the second only;
        // "diagonal" two blobs touching at a corner (one piece under 26-connectivity); "absent" never drawn.
        byte[][] Masks(bool secondPiece)
        {
            var organ = new byte[D * H * W];
            Box(organ, 2, 6, 4, 12, 4, 12);
            var paired = new byte[D * H * W];
            Box(paired, 2, 6, 14, 20, 2, 8);
            if (secondPiece)
            {
                Box(paired, 2, 6, 14, 20, 14, 20);
            }
            var diagonal = new byte[D * H * W];
            Box(diagonal, 0, 2, 0, 2, 0, 2);
            Box(diagonal, 2, 4, 2, 4, 2, 4);
            return [organ, paired, diagonal, new byte[D * H * W]];
        }

        var decision = PostProcessingSearch.DecideOnLabels(["organ", "paired", "diagonal", "absent"], [(D, H, W, Masks(false)), (D, H, W, Masks(true))]);

        Assert.True(decision.FromTrainingLabels);
        Assert.Equal(PostProcessingDecision.TrainingLabelsBasis, decision.Basis);
        Assert.Equal(2, decision.CaseDays);
        Assert.Equal([true, false, true, false], decision.KeepLargest);
        Assert.Equal([2, 2, 2, 0], decision.Classes.Select(c => c.Cases));
        Assert.All(decision.Classes, c => Assert.Null(c.Dice));
        Assert.False(PostProcessingSearch.Decide(["organ", "paired"], [Case("a")], [0.5, 0.5]).FromTrainingLabels);
    }

    [Fact]
    public void Thresholding_keeps_the_largest_component_only_of_the_classes_the_decision_names()
    {
        var item = Case("a");
        var options = PostProcessOptions.None with { KeepLargestClasses = [true, false] };

        var masks = ProbabilityThreshold.Apply(item.Probabilities, D, H, W, [0.5, 0.5], null, options);

        Assert.Equal(item.Truth[0], masks[0]);
        Assert.Equal(144 + 120, masks[1].Count(v => v == 1));
        var all = ProbabilityThreshold.Apply(item.Probabilities, D, H, W, [0.5, 0.5], null, options with { KeepLargest = true });
        Assert.Equal(144, all[1].Count(v => v == 1));
    }
}
