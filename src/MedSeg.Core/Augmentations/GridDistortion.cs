using System.Buffers;
using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Grid distortion (albumentations' GridDistortion): each axis of the H×W plane is cut into <see cref="Steps"/>
/// equal cells whose source widths are scaled by 1 + d, d drawn from <see cref="Distort"/> per cell, and
/// renormalised so the whole axis still maps onto itself; inside a cell the map is linear. The image is
/// interpolated bilinearly, the mask by nearest neighbour; a volume distorts every depth slice alike (in-plane).
/// </summary>
public sealed class GridDistortion : Augmentation
{
    public GridDistortion(double probability, int steps, ValueRange distort, BorderMode border) : base(probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(steps);
        if (!(distort.Low > -1) || !(distort.High < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(distort), distort, "distortions must lie in (−1, 1).");
        }
        Steps = steps;
        Distort = distort;
        Border = border;
    }

    public int Steps { get; }

    public ValueRange Distort { get; }

    public BorderMode Border { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        int h = sample.Shape.Height, w = sample.Shape.Width, plane = h * w;
        var mapX = AxisMap(w, random);
        var mapY = AxisMap(h, random);
        var sourceY = ArrayPool<float>.Shared.Rent(plane);
        var sourceX = ArrayPool<float>.Shared.Rent(plane);
        try
        {
            for (var y = 0; y < h; y++)
            {
                sourceY.AsSpan(y * w, w).Fill(mapY[y]);
                mapX.CopyTo(sourceX.AsSpan(y * w, w));
            }
            return PlaneWarp.Apply(sample, sourceY.AsSpan(0, plane), sourceX.AsSpan(0, plane), Border);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sourceY);
            ArrayPool<float>.Shared.Return(sourceX);
        }
    }

    /// <summary>For each pixel 0…<paramref name="length"/>−1 of an axis, the source position it reads.</summary>
    private float[] AxisMap(int length, DeterministicRandom random)
    {
        var widths = new double[Steps];
        for (var i = 0; i < Steps; i++)
        {
            widths[i] = 1 + Distort.Draw(random);
        }
        var span = length - 1.0;
        var cell = span / Steps;
        var bounds = new double[Steps + 1];
        var total = widths.Sum();
        for (var i = 0; i < Steps; i++)
        {
            bounds[i + 1] = bounds[i] + widths[i] / total * span;
        }
        var map = new float[length];
        for (var u = 0; u < length; u++)
        {
            var i = cell > 0 ? Math.Min((int)(u / cell), Steps - 1) : 0;
            var t = cell > 0 ? (u - i * cell) / cell : 0;
            map[u] = (float)(bounds[i] + t * (bounds[i + 1] - bounds[i]));
        }
        return map;
    }
}
