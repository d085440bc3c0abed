namespace MedSeg.Core.Inference;

/// <summary>
/// Sliding-window inference of one volume held as a float array, as the TorchSharp backend's <c>SlidingWindowInferer</c>
/// and MONAI's <c>sliding_window_inference</c> do it: the volume zero-padded around its centre to at least one window
/// per axis, windows laid by <see cref="WindowGrid"/> and visited depth position by depth position (rows, then
/// columns, within one), <c>batch</c> at a time, blended as Σ importance·prediction / Σ importance with the
/// <see cref="ImportanceMap"/>, and cropped back. The accumulators cover the whole padded volume (classes×D×H×W).
/// </summary>
public sealed class VolumeSlidingWindow
{
    private readonly int[] window;
    private readonly double overlap;
    private readonly WindowBlend blend;
    private readonly int batch;

    /// <param name="window">Window D, H, W in voxels (what the network takes).</param>
    /// <param name="overlap">Fraction in [0, 1) by which neighbouring windows overlap along each axis.</param>
    /// <param name="batch">Windows per call of the predictor.</param>
    public VolumeSlidingWindow(IReadOnlyList<int> window, double overlap, WindowBlend blend, int batch)
    {
        Check(window, overlap, batch);
        this.window = [.. window];
        this.overlap = overlap;
        this.blend = blend;
        this.batch = batch;
    }

    /// <summary>Refuses a window that is not three positive sizes, an overlap outside [0, 1) and a batch below 1, naming the option.</summary>
    public static void Check(IReadOnlyList<int> window, double overlap, int batch)
    {
        if (window.Count != 3 || window.Any(s => s < 1))
        {
            throw new MedSegException($"--patch {string.Join("x", window)} must be three positive sizes DxHxW.");
        }
        if (!(overlap is >= 0 and < 1))
        {
            throw new MedSegException($"--overlap {overlap} must lie in [0, 1), e.g. 0.5.");
        }
        if (batch < 1)
        {
            throw new MedSegException($"--batch-size {batch} must be at least 1.");
        }
    }

    /// <summary>
    /// The blended predictions K×D×H×W of the C×D×H×W <paramref name="volume"/>. <paramref name="predictor"/> maps n
    /// windows (n×C×wd×wh×ww, row-major) to their n×K×wd×wh×ww predictions.
    /// </summary>
    public float[] Infer(float[] volume, int channels, int depth, int height, int width, Func<float[], int, float[]> predictor)
    {
        var (wd, wh, ww) = (window[0], window[1], window[2]);
        var (pd, ph, pw) = (Math.Max(depth, wd), Math.Max(height, wh), Math.Max(width, ww));
        var (bd, bh, bw) = ((pd - depth) / 2, (ph - height) / 2, (pw - width) / 2);
        var padded = Pad(volume, channels, (depth, height, width), (pd, ph, pw), (bd, bh, bw));
        var importance = ImportanceMap.Weights(window, blend);
        var planeWindows = WindowGrid.Starts(ph, wh, overlap).SelectMany(y => WindowGrid.Starts(pw, ww, overlap).Select(x => (Y: y, X: x))).ToArray();
        var windowVoxels = wd * wh * ww;
        var weight = new float[pd * ph * pw];
        float[]? sum = null;
        var classes = 0;
        foreach (var z in WindowGrid.Starts(pd, wd, overlap))
        {
            for (var first = 0; first < planeWindows.Length; first += batch)
            {
                var windows = planeWindows.Skip(first).Take(batch).ToArray();
                var input = new float[windows.Length * channels * windowVoxels];
                for (var n = 0; n < windows.Length; n++)
                {
                    Copy(padded, (pd, ph, pw), input.AsSpan(n * channels * windowVoxels, channels * windowVoxels), channels, (z, windows[n].Y, windows[n].X), (wd, wh, ww));
                }
                var predictions = predictor(input, windows.Length);
                if (sum is null)
                {
                    classes = predictions.Length / (windows.Length * windowVoxels);
                    sum = new float[classes * pd * ph * pw];
                }
                for (var n = 0; n < windows.Length; n++)
                {
                    Accumulate(sum, weight, predictions.AsSpan(n * classes * windowVoxels, classes * windowVoxels), importance, classes, (pd, ph, pw), (z, windows[n].Y, windows[n].X), (wd, wh, ww));
                }
            }
        }
        var result = new float[classes * depth * height * width];
        for (var c = 0; c < classes; c++)
        {
            for (var d = 0; d < depth; d++)
            {
                for (var h = 0; h < height; h++)
                {
                    for (var w = 0; w < width; w++)
                    {
                        var p = ((d + bd) * ph + h + bh) * pw + w + bw;
                        result[((c * depth + d) * height + h) * width + w] = sum![c * pd * ph * pw + p] / weight[p];
                    }
                }
            }
        }
        return result;
    }

    /// <summary>The C×D×H×W volume centred in zeros of the padded size.</summary>
    private static float[] Pad(float[] volume, int channels, (int D, int H, int W) size, (int D, int H, int W) padded, (int D, int H, int W) before)
    {
        if (size == padded)
        {
            return volume;
        }
        var result = new float[channels * padded.D * padded.H * padded.W];
        for (var c = 0; c < channels; c++)
        {
            for (var d = 0; d < size.D; d++)
            {
                for (var h = 0; h < size.H; h++)
                {
                    volume.AsSpan(((c * size.D + d) * size.H + h) * size.W, size.W)
                        .CopyTo(result.AsSpan(((c * padded.D + d + before.D) * padded.H + h + before.H) * padded.W + before.W, size.W));
                }
            }
        }
        return result;
    }

    /// <summary>Copies the window at <paramref name="start"/> of every channel out of the padded volume into <paramref name="target"/>.</summary>
    private static void Copy(float[] padded, (int D, int H, int W) size, Span<float> target, int channels, (int Z, int Y, int X) start, (int D, int H, int W) window)
    {
        for (var c = 0; c < channels; c++)
        {
            for (var d = 0; d < window.D; d++)
            {
                for (var h = 0; h < window.H; h++)
                {
                    padded.AsSpan(((c * size.D + start.Z + d) * size.H + start.Y + h) * size.W + start.X, window.W)
                        .CopyTo(target.Slice(((c * window.D + d) * window.H + h) * window.W, window.W));
                }
            }
        }
    }

    /// <summary>sum += importance · prediction and weight += importance over the window at <paramref name="start"/>.</summary>
    private static void Accumulate(float[] sum, float[] weight, ReadOnlySpan<float> prediction, float[] importance, int classes,
        (int D, int H, int W) size, (int Z, int Y, int X) start, (int D, int H, int W) window)
    {
        var voxels = size.D * size.H * size.W;
        for (var d = 0; d < window.D; d++)
        {
            for (var h = 0; h < window.H; h++)
            {
                var row = ((start.Z + d) * size.H + start.Y + h) * size.W + start.X;
                var windowRow = (d * window.H + h) * window.W;
                for (var c = 0; c < classes; c++)
                {
                    var target = sum.AsSpan(c * voxels + row, window.W);
                    var source = prediction.Slice(c * importance.Length + windowRow, window.W);
                    for (var w = 0; w < window.W; w++)
                    {
                        target[w] += source[w] * importance[windowRow + w];
                    }
                }
                var weights = weight.AsSpan(row, window.W);
                for (var w = 0; w < window.W; w++)
                {
                    weights[w] += importance[windowRow + w];
                }
            }
        }
    }
}
