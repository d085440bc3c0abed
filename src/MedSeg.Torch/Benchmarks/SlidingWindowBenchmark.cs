using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// Times sliding-window inference of a 3D network over a volume and measures the peak memory it adds. The input
/// is generated slab by slab and the output reduced slab by slab (what a caller streaming to disk does), so the
/// figure is the inferer's own working memory: it should not grow with the volume's depth.
/// </summary>
public static class SlidingWindowBenchmark
{
    public sealed record Options(int Depth = 80, int Height = 128, int Width = 128, string Window = "32x64x64", double Overlap = 0.5,
        string Arch = "unet3d", int Features = 8, int Levels = 3, int Classes = 3, int WindowBatch = 2, int Threads = 0);

    public static Dictionary<string, object> Run(Options o)
    {
        if (o.Threads > 0)
        {
            set_num_threads(o.Threads);
        }
        manual_seed(0);
        using var model = ModelFactory.Create(o.Arch, ModelFactory.NoEncoder, 1, o.Classes, new ModelOptions { Features = o.Features, Levels = o.Levels });
        model.eval();
        var window = Core.Data.PatchSize.Parse(o.Window, "--patch");
        var inferer = new SlidingWindowInferer(window.Sizes, o.Overlap, WindowBlend.Gaussian, o.WindowBatch);
        var checksum = 0.0;
        var (_, seconds, peakMb) = PeakMemory.Measure(() =>
        {
            inferer.Infer(o.Depth, o.Height, o.Width,
                (start, count) => arange(start, start + count, dtype: float32).view(1, -1, 1, 1).expand(1, count, o.Height, o.Width).sin(),
                x => model.call(x).sigmoid(),
                (_, predictions) => checksum += predictions.sum().item<float>());
            return checksum;
        });
        return new Dictionary<string, object>
        {
            ["bench"] = "sliding_window",
            ["arch"] = o.Arch,
            ["volume"] = $"{o.Depth}x{o.Height}x{o.Width}",
            ["window"] = o.Window,
            ["overlap"] = o.Overlap,
            ["window_batch"] = o.WindowBatch,
            ["classes"] = o.Classes,
            ["ms"] = Math.Round(seconds * 1000, 1),
            ["peak_mb"] = Math.Round(peakMb, 1),
            ["whole_volume_output_mb"] = Math.Round((double)o.Classes * o.Depth * o.Height * o.Width * sizeof(float) / (1 << 20), 1),
            ["checksum"] = Math.Round(checksum, 1),
        };
    }
}
