using MedSeg.Core;

namespace MedSeg.Torch.Training;

/// <summary>
/// Learning rate as a pure function of the optimiser step (so a resumed run gets the same rates):
/// <c>cosine</c> (linear warm-up, then cosine decay to 0), <c>poly</c> (nnU-Net: lr·(1 − t/T)^0.9 after warm-up),
/// <c>onecycle</c> (PyTorch's OneCycleLR with cosine annealing: lr/25 → lr over 30 % of the steps → lr/(25·10⁴)),
/// <c>constant</c> (after warm-up).
/// </summary>
public sealed class LearningRateSchedule
{
    public static readonly string[] Names = ["cosine", "poly", "onecycle", "constant"];

    private readonly string name;
    private readonly double baseLr;
    private readonly long totalSteps;
    private readonly long warmupSteps;

    public LearningRateSchedule(string name, double baseLr, long totalSteps, long warmupSteps)
    {
        if (!Names.Contains(name))
        {
            throw new MedSegException($"--schedule {name} is unknown; valid: {string.Join(", ", Names)}.");
        }
        this.name = name;
        this.baseLr = baseLr;
        this.totalSteps = Math.Max(1, totalSteps);
        this.warmupSteps = Math.Clamp(warmupSteps, 0, this.totalSteps - 1);
    }

    /// <summary>The rate for optimiser step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        step = Math.Clamp(step, 0, totalSteps);
        if (name == "onecycle")
        {
            return OneCycle(step);
        }
        if (step < warmupSteps)
        {
            return baseLr * (step + 1) / warmupSteps;
        }
        var t = (double)(step - warmupSteps) / (totalSteps - warmupSteps);
        return name switch
        {
            "cosine" => baseLr * 0.5 * (1 + Math.Cos(Math.PI * t)),
            "poly" => baseLr * Math.Pow(1 - t, 0.9),
            _ => baseLr,
        };
    }

    private double OneCycle(long step)
    {
        const double divFactor = 25, finalDivFactor = 1e4, pctStart = 0.3;
        double initial = baseLr / divFactor, final = initial / finalDivFactor;
        var peak = Math.Max(1, (long)(pctStart * totalSteps) - 1);
        return step <= peak
            ? Anneal(initial, baseLr, (double)step / peak)
            : Anneal(baseLr, final, Math.Min(1, (double)(step - peak) / Math.Max(1, totalSteps - 1 - peak)));
    }

    private static double Anneal(double start, double end, double fraction) =>
        end + (start - end) / 2 * (1 + Math.Cos(Math.PI * fraction));
}
