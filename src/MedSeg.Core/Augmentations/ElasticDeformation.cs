using System.Buffers;
using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// Elastic deformation (Simard et al. 2003, as albumentations' ElasticTransform): each pixel reads the source
/// displaced by <see cref="Alpha"/> × (Gaussian of σ = <see cref="Sigma"/> pixels ∗ uniform noise in [−1, 1]), one
/// field per axis. The image is interpolated bilinearly, the mask by nearest neighbour; a volume deforms every
/// depth slice alike (in-plane).
/// </summary>
public sealed class ElasticDeformation : Augmentation
{
    public ElasticDeformation(double probability, double alpha, double sigma, BorderMode border) : base(probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(alpha);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sigma);
        Alpha = alpha;
        Sigma = sigma;
        Border = border;
    }

    public double Alpha { get; }

    public double Sigma { get; }

    public BorderMode Border { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        int h = sample.Shape.Height, w = sample.Shape.Width, plane = h * w;
        var kernel = GaussianFilter.Kernel(Sigma);
        var sourceY = ArrayPool<float>.Shared.Rent(plane);
        var sourceX = ArrayPool<float>.Shared.Rent(plane);
        try
        {
            var dy = sourceY.AsSpan(0, plane);
            var dx = sourceX.AsSpan(0, plane);
            foreach (var field in new[] { sourceY, sourceX })
            {
                var span = field.AsSpan(0, plane);
                for (var p = 0; p < plane; p++)
                {
                    span[p] = (float)(2 * random.NextDouble() - 1);
                }
                GaussianFilter.Smooth(span, h, w, kernel);
            }
            var alpha = (float)Alpha;
            for (var y = 0; y < h; y++)
            {
                for (var x = 0; x < w; x++)
                {
                    var p = y * w + x;
                    dy[p] = y + alpha * dy[p];
                    dx[p] = x + alpha * dx[p];
                }
            }
            return PlaneWarp.Apply(sample, dy, dx, Border);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sourceY);
            ArrayPool<float>.Shared.Return(sourceX);
        }
    }
}
