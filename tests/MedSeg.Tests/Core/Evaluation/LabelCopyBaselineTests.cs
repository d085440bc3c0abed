using MedSeg.Core;
using MedSeg.Core.Data;
using MedSeg.Core.Evaluation;
using MedSeg.Core.Volumes;
using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Core.Evaluation;

public class LabelCopyBaselineTests
{
    private static readonly VolumeGeometry Grid = new(new VolumeShape(10, 8, 6), Affine.Diagonal(1, 1, 2));

    /// <summary>A label map with class 1 on the box x in [x0, x0 + 4), y in [2, 6), z in [1, 5).</summary>
    private static Volume<ushort> Box(int x0)
    {
        var labels = new Volume<ushort>(Grid);
        for (var z = 1; z < 5; z++)
        {
            for (var y = 2; y < 6; y++)
            {
                for (var x = x0; x < x0 + 4; x++)
                {
                    labels[x, y, z] = 1;
                }
            }
        }
        return labels;
    }

    [Fact]
    public void The_training_labels_copied_onto_a_shifted_subject_score_the_overlap_dice()
    {
        using var folder = new TempFolder();
        var info = new NnUnetDatasetInfo(["T1"], ["background", "blob"], 1);
        string dataset;
        using (var writer = new NnUnetDatasetWriter(folder.Combine("Dataset001_Hand"), info))
        {
            writer.AddCase("train", new Volume<float>(Grid), Box(2));
            // Held out: the same blob one voxel further along x; 3 of its 4 columns overlap the training blob.
            writer.AddHeldOutCase("subject", new Volume<float>(Grid), Box(3));
            dataset = writer.Commit();
        }

        Assert.Equal(1, LabelCopyBaseline.Write(dataset, folder.Combine("copy")));

        var report = LabelMapEvaluator.Load(folder.Combine("copy"), dataset).Evaluate(new EvaluationOptions("dice"));
        // |P| = |T| = 64, |P ∩ T| = 48: Dice = 96 / 128.
        Assert.Equal(0.75, report.PerClass["blob"].Dice, 9);
        Assert.Equal(["subject"], report.PerCase.Keys);
        Assert.Throws<MedSegException>(() => LabelCopyBaseline.Write(dataset, folder.Combine("copy")));
        Assert.Throws<MedSegException>(() => LabelCopyBaseline.Write(folder.Combine("copy"), folder.Combine("other")));
    }
}
