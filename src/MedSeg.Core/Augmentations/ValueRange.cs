namespace MedSeg.Core.Augmentations;

/// <summary>A closed interval [<see cref="Low"/>, <see cref="High"/>] that transforms draw a parameter from uniformly.</summary>
public readonly record struct ValueRange(double Low, double High)
{
    /// <summary>[center − spread, center + spread].</summary>
    public static ValueRange Around(double center, double spread) => new(center - spread, center + spread);

    public double Draw(Data.DeterministicRandom random) => Low == High ? Low : random.NextDouble(Low, High);
}
