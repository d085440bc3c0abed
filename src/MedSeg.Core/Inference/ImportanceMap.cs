namespace MedSeg.Core.Inference;

/// <summary>
/// The weight of each voxel of a sliding window when overlapping windows are averaged, as MONAI's
/// <c>compute_importance_map</c> and nnU-Net's Gaussian: a separable Gaussian with σ = <see cref="SigmaScale"/>·size per
/// axis, centred at the window's middle ((n − 1)/2, so the map is symmetric under every flip and flip TTA commutes
/// with blending), scaled so its maximum is 1 and clamped below at <see cref="MinimumWeight"/> (a corner voxel
/// covered by one window only must not be divided by zero). Both backends blend with this map.
/// </summary>
public static class ImportanceMap
{
    /// <summary>σ as a fraction of the window size (MONAI's <c>sigma_scale</c>, nnU-Net's 1/8).</summary>
    public const double SigmaScale = 0.125;

    /// <summary>The smallest weight of the Gaussian map (MONAI's floor).</summary>
    public const float MinimumWeight = 1e-3f;

    /// <summary>The D×H×W map (row-major) for a window of <paramref name="size"/> (D, H, W).</summary>
    public static float[] Weights(IReadOnlyList<int> size, WindowBlend blend)
    {
        if (size.Count != 3 || size.Any(s => s < 1))
        {
            throw new MedSegException($"a sliding window is three positive sizes DxHxW, not {string.Join("x", size)}.");
        }
        var map = new float[size[0] * size[1] * size[2]];
        if (blend == WindowBlend.Constant)
        {
            Array.Fill(map, 1f);
            return map;
        }
        var (d, h, w) = (Profile(size[0]), Profile(size[1]), Profile(size[2]));
        var max = 0f;
        for (var z = 0; z < d.Length; z++)
        {
            for (var y = 0; y < h.Length; y++)
            {
                for (var x = 0; x < w.Length; x++)
                {
                    // Products in the order torch broadcasts them (D×H first, then ×W), so the map is the same float for float.
                    var value = d[z] * h[y] * w[x];
                    map[(z * h.Length + y) * w.Length + x] = value;
                    max = Math.Max(max, value);
                }
            }
        }
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = Math.Max(map[i] / max, MinimumWeight);
        }
        return map;
    }

    /// <summary>The 1-D Gaussian along an axis of <paramref name="length"/> voxels (unnormalised).</summary>
    private static float[] Profile(int length)
    {
        var sigma = SigmaScale * length;
        var centre = (length - 1) / 2.0;
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            var distance = (i - centre) / sigma;
            values[i] = (float)Math.Exp(-0.5 * distance * distance);
        }
        return values;
    }
}
