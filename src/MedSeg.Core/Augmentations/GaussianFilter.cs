using System.Buffers;
using System.Numerics;

namespace MedSeg.Core.Augmentations;

/// <summary>Separable Gaussian smoothing of planes, vectorised along rows, with mirrored borders (OpenCV's default).</summary>
internal static class GaussianFilter
{
    /// <summary>The normalised kernel of standard deviation <paramref name="sigma"/> pixels, truncated at 4σ as SciPy does.</summary>
    public static float[] Kernel(double sigma)
    {
        var radius = Math.Max(1, (int)Math.Ceiling(4 * sigma));
        var kernel = new float[2 * radius + 1];
        var sum = 0.0;
        for (var i = -radius; i <= radius; i++)
        {
            var v = Math.Exp(-0.5 * i * i / (sigma * sigma));
            kernel[i + radius] = (float)v;
            sum += v;
        }
        for (var i = 0; i < kernel.Length; i++)
        {
            kernel[i] = (float)(kernel[i] / sum);
        }
        return kernel;
    }

    /// <summary>Smooths the <paramref name="height"/>×<paramref name="width"/> <paramref name="plane"/> in place.</summary>
    public static void Smooth(Span<float> plane, int height, int width, ReadOnlySpan<float> kernel)
    {
        var radius = kernel.Length / 2;
        var padded = ArrayPool<float>.Shared.Rent(width + 2 * radius);
        var rows = ArrayPool<float>.Shared.Rent(height * width);
        try
        {
            // Along rows: each row copied with mirrored margins, then a sliding dot product.
            for (var y = 0; y < height; y++)
            {
                var row = plane.Slice(y * width, width);
                for (var j = -radius; j < width + radius; j++)
                {
                    padded[j + radius] = row[Border.Resolve(j, width, BorderMode.Reflect)];
                }
                Convolve(padded, kernel, rows.AsSpan(y * width, width));
            }
            // Along columns: whole rows combined at once, which vectorises along x.
            for (var y = 0; y < height; y++)
            {
                var output = plane.Slice(y * width, width);
                output.Clear();
                for (var j = 0; j < kernel.Length; j++)
                {
                    var source = Border.Resolve(y + j - radius, height, BorderMode.Reflect);
                    AddScaled(rows.AsSpan(source * width, width), kernel[j], output);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    private static void Convolve(ReadOnlySpan<float> padded, ReadOnlySpan<float> kernel, Span<float> output)
    {
        output.Clear();
        for (var j = 0; j < kernel.Length; j++)
        {
            AddScaled(padded.Slice(j, output.Length), kernel[j], output);
        }
    }

    /// <summary><paramref name="output"/> += <paramref name="factor"/> · <paramref name="input"/>.</summary>
    private static void AddScaled(ReadOnlySpan<float> input, float factor, Span<float> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var f = new Vector<float>(factor);
            for (; i <= output.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                (new Vector<float>(output[i..]) + f * new Vector<float>(input[i..])).CopyTo(output[i..]);
            }
        }
        for (; i < output.Length; i++)
        {
            output[i] += factor * input[i];
        }
    }
}
