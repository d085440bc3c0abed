using MedSeg.Core.Inference;
using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Sliding-window inference of a volume with a network that takes fixed-size N×C×D×H×W windows, as MONAI's
/// <c>sliding_window_inference</c>: windows laid by <see cref="WindowGrid"/> (clamped inside the volume; a volume
/// smaller than the window is zero-padded around its centre and the result cropped back), predicted
/// <see cref="WindowBatch"/> at a time, and blended as Σ importance·prediction / Σ importance with the
/// <see cref="ImportanceMap"/>. Memory stays bounded as the volume grows: windows are visited one depth position at
/// a time and the accumulators hold one window depth of the volume (D_window×H×W); when the next depth position
/// starts, the depths before it are final, so they are divided, handed to the caller and dropped.
/// </summary>
public sealed class SlidingWindowInferer
{
    /// <param name="windowSize">Window D, H, W in voxels (what the network takes).</param>
    /// <param name="overlap">Fraction in [0, 1) by which neighbouring windows overlap along each axis (MONAI's default 0.25; nnU-Net's 0.5).</param>
    /// <param name="blend">How overlapping windows are weighted.</param>
    /// <param name="windowBatch">Windows per forward pass.</param>
    public SlidingWindowInferer(IReadOnlyList<int> windowSize, double overlap = 0.5, WindowBlend blend = WindowBlend.Gaussian, int windowBatch = 4)
    {
        VolumeSlidingWindow.Check(windowSize, overlap, windowBatch);
        WindowSize = windowSize.ToArray();
        Overlap = overlap;
        Blend = blend;
        WindowBatch = windowBatch;
    }

    public IReadOnlyList<int> WindowSize { get; }

    public double Overlap { get; }

    public WindowBlend Blend { get; }

    public int WindowBatch { get; }

    /// <summary>
    /// Predicts a whole N×C×D×H×W volume batch and returns N×K×D×H×W (on the predictions' device).
    /// <paramref name="predictor"/> maps windows N×C×d×h×w to N×K×d×h×w (e.g. the network followed by a sigmoid).
    /// </summary>
    public Tensor Infer(Tensor volumes, Func<Tensor, Tensor> predictor)
    {
        if (volumes.dim() != 5)
        {
            throw new MedSegException($"sliding-window inference takes N×C×D×H×W volumes; got shape [{string.Join(", ", volumes.shape)}].");
        }
        var (depth, height, width) = ((int)volumes.shape[2], (int)volumes.shape[3], (int)volumes.shape[4]);
        var outputs = new Tensor[volumes.shape[0]];
        try
        {
            for (var n = 0; n < outputs.Length; n++)
            {
                var volume = volumes[n];
                Infer(depth, height, width, (start, count) => volume.narrow(1, start, count), predictor, (start, predictions) =>
                {
                    outputs[n] ??= zeros([predictions.shape[0], depth, height, width], predictions.dtype, predictions.device).DetachFromDisposeScope();
                    outputs[n].narrow(1, start, predictions.shape[1]).copy_(predictions);
                });
                volume.Dispose();
            }
            return stack(outputs);
        }
        finally
        {
            foreach (var output in outputs)
            {
                output?.Dispose();
            }
        }
    }

    /// <summary>
    /// Predicts a volume of <paramref name="depth"/>×<paramref name="height"/>×<paramref name="width"/> voxels read slab by slab
    /// through <paramref name="read"/>, handing each finished slab of predictions to <paramref name="write"/> in depth order.
    /// </summary>
    public void Infer(int depth, int height, int width, SlabReader read, Func<Tensor, Tensor> predictor, SlabWriter write)
    {
        var (wd, wh, ww) = (WindowSize[0], WindowSize[1], WindowSize[2]);
        // The padded grid: every axis at least one window long, the volume centred in it.
        var (pd, ph, pw) = (Math.Max(depth, wd), Math.Max(height, wh), Math.Max(width, ww));
        var (bd, bh, bw) = ((pd - depth) / 2, (ph - height) / 2, (pw - width) / 2);
        var zs = WindowGrid.Starts(pd, wd, Overlap);
        var planeWindows = WindowGrid.Starts(ph, wh, Overlap)
            .SelectMany(y => WindowGrid.Starts(pw, ww, Overlap).Select(x => (Y: y, X: x))).ToArray();

        using var noGrad = no_grad();
        Tensor? importance = null, sum = null, weight = null;
        try
        {
            for (var i = 0; i < zs.Length; i++)
            {
                var z = zs[i];
                using (var scope = NewDisposeScope())
                {
                    var slab = PaddedSlab(read, z, depth, height, width, (pd, ph, pw), (bd, bh, bw));
                    for (var first = 0; first < planeWindows.Length; first += WindowBatch)
                    {
                        using var batchScope = NewDisposeScope();
                        var batch = planeWindows.Skip(first).Take(WindowBatch).ToArray();
                        var windows = stack(batch.Select(w => slab.narrow(2, w.Y, wh).narrow(3, w.X, ww)).ToArray());
                        var predictions = predictor(windows);
                        if (sum is null)
                        {
                            importance = ImportanceMapTensor.Create(WindowSize, Blend).to(predictions.device).DetachFromDisposeScope();
                            sum = zeros([predictions.shape[1], wd, ph, pw], predictions.dtype, predictions.device).DetachFromDisposeScope();
                            weight = zeros([wd, ph, pw], predictions.dtype, predictions.device).DetachFromDisposeScope();
                        }
                        for (var j = 0; j < batch.Length; j++)
                        {
                            sum.narrow(2, batch[j].Y, wh).narrow(3, batch[j].X, ww).addcmul_(predictions[j], importance!, 1);
                            weight!.narrow(1, batch[j].Y, wh).narrow(2, batch[j].X, ww).add_(importance!);
                        }
                    }
                    // Depths before the next window's start receive nothing more: finish them and shift the accumulators.
                    var done = i + 1 < zs.Length ? zs[i + 1] - z : wd;
                    var lo = Math.Max(z, bd);
                    var hi = Math.Min(z + done, bd + depth);
                    if (hi > lo)
                    {
                        var finished = sum!.narrow(1, lo - z, hi - lo).div(weight!.narrow(0, lo - z, hi - lo))
                            .narrow(2, bh, height).narrow(3, bw, width);
                        write(lo - bd, finished);
                    }
                    Shift(sum!, 1, done);
                    Shift(weight!, 0, done);
                }
            }
        }
        finally
        {
            importance?.Dispose();
            sum?.Dispose();
            weight?.Dispose();
        }
    }

    /// <summary>The C×D_window×H×W input of the padded grid at depth <paramref name="z"/>: what lies inside the volume, zeros around it.</summary>
    private Tensor PaddedSlab(SlabReader read, int z, int depth, int height, int width, (int D, int H, int W) padded, (int D, int H, int W) before)
    {
        var wd = WindowSize[0];
        var lo = Math.Max(0, z - before.D);
        var hi = Math.Min(depth, z - before.D + wd);
        var slab = read(lo, hi - lo);
        var front = lo - (z - before.D);
        var back = wd - front - (hi - lo);
        if (front == 0 && back == 0 && padded.H == height && padded.W == width)
        {
            return slab;
        }
        return nn.functional.pad(slab, [before.W, padded.W - width - before.W, before.H, padded.H - height - before.H, front, back]);
    }

    /// <summary>
    /// Moves an accumulator <paramref name="by"/> depths towards its start along <paramref name="axis"/>, zeros behind: one
    /// depth at a time in increasing order, so each source is read before it is overwritten and nothing is allocated.
    /// </summary>
    private static void Shift(Tensor accumulator, int axis, int by)
    {
        var length = (int)accumulator.shape[axis];
        for (var d = 0; d + by < length; d++)
        {
            using var target = accumulator.select(axis, d);
            using var source = accumulator.select(axis, d + by);
            target.copy_(source);
        }
        using var back = accumulator.narrow(axis, Math.Max(0, length - by), Math.Min(by, length));
        back.zero_();
    }
}
