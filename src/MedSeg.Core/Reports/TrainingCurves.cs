namespace MedSeg.Core.Reports;

/// <summary>Plots a run's learning curves (training loss, validation score and Dice, learning rate) to a PNG.</summary>
public static class TrainingCurves
{
    public static void Write(string path, IReadOnlyList<(int Epoch, double TrainLoss, double ValScore, double ValDice, double Lr)> epochs)
    {
        var plot = new ScottPlot.Plot();
        double[] x = epochs.Select(e => (double)e.Epoch).ToArray();
        AddLine(plot, x, epochs.Select(e => e.TrainLoss), "train loss");
        AddLine(plot, x, epochs.Select(e => e.ValScore), "validation uwmgi score");
        AddLine(plot, x, epochs.Select(e => e.ValDice), "validation Dice");
        var lr = AddLine(plot, x, epochs.Select(e => e.Lr), "learning rate (right axis)");
        lr.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Right.Label.Text = "learning rate";
        plot.XLabel("epoch");
        plot.YLabel("loss / score");
        plot.Title("MedSeg training curves");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        AtomicFile.Write(path, temp => plot.SavePng(temp, 900, 540));
    }

    private static ScottPlot.Plottables.Scatter AddLine(ScottPlot.Plot plot, double[] x, IEnumerable<double> y, string label)
    {
        var line = plot.Add.Scatter(x, y.ToArray());
        line.LegendText = label;
        return line;
    }
}
