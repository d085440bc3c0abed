using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// The weight of each voxel of a sliding window when overlapping windows are averaged, as MONAI's
/// <c>compute_importance_map</c> and nnU-Net's Gaussian: a separable Gaussian with σ = <see cref="SigmaScale"/>·size per
/// axis, centred at the window's middle ((n − 1)/2, so the map is symmetric under every flip and flip TTA commutes
/// with blending), scaled so its maximum is 1 and clamped below at <see cref="MinimumWeight"/> (a corner voxel
/// covered by one window only must not be divided by zero).
/// </summary>
public static class ImportanceMap
{
    /// <summary>σ as a fraction of the window size (MONAI's <c>sigma_scale</c>, nnU-Net's 1/8).</summary>
    public const double SigmaScale = 0.125;

    /// <summary>The smallest weight of the Gaussian map (MONAI's floor).</summary>
    public const float MinimumWeight = 1e-3f;

    /// <summary>The D×H×W map (float32, CPU) for a window of <paramref name="size"/> (D, H, W).</summary>
    public static Tensor Create(IReadOnlyList<int> size, WindowBlend blend)
    {
        if (size.Count != 3 || size.Any(s => s < 1))
        {
            throw new MedSegException($"a sliding window is three positive sizes DxHxW, not {string.Join("x", size)}.");
        }
        if (blend == WindowBlend.Constant)
        {
            return ones(size[0], size[1], size[2]);
        }
        using var scope = NewDisposeScope();
        var map = Profile(size[0]).view(-1, 1, 1) * Profile(size[1]).view(1, -1, 1) * Profile(size[2]).view(1, 1, -1);
        return (map / map.max()).clamp_min(MinimumWeight).MoveToOuterDisposeScope();
    }

    /// <summary>The 1-D Gaussian along an axis of <paramref name="length"/> voxels (unnormalised).</summary>
    private static Tensor Profile(int length)
    {
        var sigma = SigmaScale * length;
        var centre = (length - 1) / 2.0;
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            var d = (i - centre) / sigma;
            values[i] = (float)Math.Exp(-0.5 * d * d);
        }
        return tensor(values);
    }
}
