using System.Buffers;
using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// A random affine map of the H×W plane about its centre (albumentations' ShiftScaleRotate): content moves by
/// (shift_x·W, shift_y·H) — right and down for positive values — with shift_x, shift_y drawn from
/// <see cref="Shift"/>, is scaled by a factor from <see cref="Scale"/> and turned by an angle in degrees from
/// <see cref="RotateDegrees"/>, positive angles clockwise as displayed (rows running down). The image is
/// interpolated bilinearly, the mask by nearest neighbour; a volume moves every depth slice alike (in-plane, as
/// nnU-Net augments anisotropic volumes).
/// </summary>
public sealed class ShiftScaleRotate : Augmentation
{
    public ShiftScaleRotate(double probability, ValueRange shift, ValueRange scale, ValueRange rotateDegrees, BorderMode border)
        : base(probability)
    {
        if (!(scale.Low > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale factors must be positive.");
        }
        Shift = shift;
        Scale = scale;
        RotateDegrees = rotateDegrees;
        Border = border;
    }

    public ValueRange Shift { get; }

    public ValueRange Scale { get; }

    public ValueRange RotateDegrees { get; }

    public BorderMode Border { get; }

    protected override AugmentationSample Transform(AugmentationSample sample, DeterministicRandom random)
    {
        var angle = RotateDegrees.Draw(random) * Math.PI / 180;
        var scale = Scale.Draw(random);
        int h = sample.Shape.Height, w = sample.Shape.Width;
        var shiftX = Shift.Draw(random) * w;
        var shiftY = Shift.Draw(random) * h;
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        // Output p reads source c + R(−θ)(p − c − shift) / scale, the inverse of the content's motion.
        double cos = Math.Cos(angle) / scale, sin = Math.Sin(angle) / scale;
        var sourceY = ArrayPool<float>.Shared.Rent(h * w);
        var sourceX = ArrayPool<float>.Shared.Rent(h * w);
        try
        {
            for (var y = 0; y < h; y++)
            {
                var v = y - cy - shiftY;
                for (var x = 0; x < w; x++)
                {
                    var u = x - cx - shiftX;
                    sourceX[y * w + x] = (float)(cx + cos * u + sin * v);
                    sourceY[y * w + x] = (float)(cy - sin * u + cos * v);
                }
            }
            return PlaneWarp.Apply(sample, sourceY.AsSpan(0, h * w), sourceX.AsSpan(0, h * w), Border);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sourceY);
            ArrayPool<float>.Shared.Return(sourceX);
        }
    }
}
