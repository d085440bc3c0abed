using ScottPlot;

namespace MedSeg.Core.Reports;

/// <summary>The charts of a training-run report, each a PNG: loss, validation figures, learning rate, time per epoch.</summary>
public static class RunCharts
{
    private const int Width = 560;
    private const int Height = 320;

    /// <summary>Training loss per epoch.</summary>
    public static byte[] Loss(IReadOnlyList<TrainingEpoch> epochs) =>
        Chart("training loss", "loss", epochs, [("train loss", e => e.TrainLoss)]);

    /// <summary>Validation score, Dice and Hausdorff distance per epoch (epochs without validation left out).</summary>
    public static byte[] Validation(IReadOnlyList<TrainingEpoch> epochs) =>
        Chart("validation", "score / Dice / HD", epochs.Where(e => double.IsFinite(e.ValScore)).ToArray(),
            [("score", e => e.ValScore), ("Dice", e => e.ValDice), ("Hausdorff", e => e.ValHausdorff)]);

    /// <summary>Learning rate per epoch.</summary>
    public static byte[] LearningRate(IReadOnlyList<TrainingEpoch> epochs) =>
        Chart("learning rate", "learning rate", epochs, [("learning rate", e => e.Lr)]);

    /// <summary>Seconds per epoch, whole and its training steps alone.</summary>
    public static byte[] Time(IReadOnlyList<TrainingEpoch> epochs) =>
        Chart("time per epoch", "seconds", epochs, [("whole epoch", e => e.Seconds), ("training steps", e => e.TrainSeconds)]);

    private static byte[] Chart(string title, string yLabel, IReadOnlyList<TrainingEpoch> epochs, (string Label, Func<TrainingEpoch, double> Value)[] series)
    {
        var plot = new Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        foreach ((string label, Func<TrainingEpoch, double> value) in series)
        {
            var line = plot.Add.Scatter(x, epochs.Select(value).ToArray());
            line.LegendText = label;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true }; // epochs
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(yLabel);
        if (series.Length > 1)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
