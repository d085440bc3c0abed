namespace MedSeg.Core.Augmentations;

/// <summary>
/// Resizes data laid out [outer][length][inner] along its middle axis, as PyTorch's <c>interpolate</c> does along
/// one axis: linear with <c>align_corners=False</c> (half-pixel centres) or legacy <c>nearest</c>
/// (source index ⌊i·length/newLength⌋). Bilinear and trilinear resizing are these applied axis by axis.
/// </summary>
internal static class AxisResampler
{
    public static float[] Linear(float[] data, int outer, int length, int inner, int newLength)
    {
        var output = new float[outer * newLength * inner];
        var scale = (double)length / newLength;
        var low = new int[newLength];
        var high = new int[newLength];
        var fraction = new float[newLength];
        for (var j = 0; j < newLength; j++)
        {
            var source = Math.Max(0, (j + 0.5) * scale - 0.5);
            low[j] = Math.Min((int)source, length - 1);
            high[j] = Math.Min(low[j] + 1, length - 1);
            fraction[j] = (float)(source - low[j]);
        }
        for (var o = 0; o < outer; o++)
        {
            var input = data.AsSpan(o * length * inner, length * inner);
            var result = output.AsSpan(o * newLength * inner, newLength * inner);
            if (inner == 1)
            {
                for (var j = 0; j < newLength; j++)
                {
                    var a = input[low[j]];
                    result[j] = a + fraction[j] * (input[high[j]] - a);
                }
                continue;
            }
            for (var j = 0; j < newLength; j++)
            {
                var a = input.Slice(low[j] * inner, inner);
                var b = input.Slice(high[j] * inner, inner);
                var row = result.Slice(j * inner, inner);
                var t = fraction[j];
                for (var k = 0; k < inner; k++)
                {
                    row[k] = a[k] + t * (b[k] - a[k]);
                }
            }
        }
        return output;
    }

    public static float[] Nearest(float[] data, int outer, int length, int inner, int newLength)
    {
        var output = new float[outer * newLength * inner];
        var scale = (float)length / newLength;
        var source = new int[newLength];
        for (var j = 0; j < newLength; j++)
        {
            source[j] = Math.Min((int)MathF.Floor(j * scale), length - 1);
        }
        for (var o = 0; o < outer; o++)
        {
            var input = data.AsSpan(o * length * inner, length * inner);
            var result = output.AsSpan(o * newLength * inner, newLength * inner);
            for (var j = 0; j < newLength; j++)
            {
                input.Slice(source[j] * inner, inner).CopyTo(result.Slice(j * inner, inner));
            }
        }
        return output;
    }
}
