namespace MedSeg.Torch.Training;

/// <summary>Cosine decay of the learning rate from its base value at step 0 to zero at <c>totalSteps</c>.</summary>
public sealed class CosineSchedule(double baseLr, long totalSteps)
{
    public double At(long step) =>
        baseLr * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / Math.Max(1, totalSteps)));
}
