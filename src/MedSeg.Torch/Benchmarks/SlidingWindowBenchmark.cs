using MedSeg.Core.Inference;
using System.Diagnostics;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// Times sliding-window inference of a 3D network over a volume and measures the peak memory it adds. The input
/// is generated slab by slab and the output reduced slab by slab (what a caller streaming to disk does), so the
/// figure is the inferer's own working memory: it should not grow with the volume's depth. <see cref="Options.Path"/>
/// picks the network's path: <c>eager</c> (as trained, in an <see cref="Autocast"/> scope of <see cref="Options.Precision"/>)
/// or <c>prepared</c> (<see cref="InferenceNetwork"/>); the result's <c>breakdown</c> splits the time into reading the
/// input, the network (for the prepared path: layout/cast, forward, output cast), the sigmoid, the blending and the
/// reduction of the finished slabs.
/// </summary>
public static class SlidingWindowBenchmark
{
    /// <summary>The network paths <see cref="Options.Path"/> takes.</summary>
    public static readonly string[] Paths = ["eager", "prepared"];

    public sealed record Options(int Depth = 80, int Height = 128, int Width = 128, string Window = "32x64x64", double Overlap = 0.5,
        string Arch = "unet3d", int Features = 8, int Levels = 3, int Classes = 3, int WindowBatch = 2, int Threads = 0,
        string Precision = "fp32", string Path = "eager");

    public static Dictionary<string, object> Run(Options o)
    {
        if (!Paths.Contains(o.Path))
        {
            throw new Core.MedSegException($"--path {o.Path} is unknown; valid: {string.Join(", ", Paths)}.");
        }
        if (o.Precision is not ("fp32" or "bf16" or "fp16"))
        {
            throw new Core.MedSegException($"--precision {o.Precision} is unknown; valid: fp32, bf16, fp16.");
        }
        if (o.Threads > 0)
        {
            set_num_threads(o.Threads);
        }
        manual_seed(0);
        var modelOptions = new ModelOptions { Features = o.Features, Levels = o.Levels };
        using var model = ModelFactory.Create(o.Arch, ModelFactory.NoEncoder, 1, o.Classes, modelOptions);
        model.eval();
        var window = Core.Data.PatchSize.Parse(o.Window, "--patch");
        var inferer = new SlidingWindowInferer(window.Sizes, o.Overlap, WindowBlend.Gaussian, o.WindowBatch);
        var parts = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        using var prepared = o.Path == "prepared"
            ? InferenceNetwork.PrepareCopy(model, () => ModelFactory.Create(o.Arch, ModelFactory.NoEncoder, 1, o.Classes, modelOptions), o.Precision, CPU,
                [.. window.Sizes.Select(s => (long)s)])
            : null;
        var prepareMs = clock.Elapsed.TotalMilliseconds;
        T Timed<T>(string part, Func<T> run)
        {
            var partClock = Stopwatch.StartNew();
            var value = run();
            parts[part] = parts.GetValueOrDefault(part) + partClock.Elapsed.TotalMilliseconds;
            return value;
        }
        Tensor Network(Tensor x)
        {
            if (prepared is null)
            {
                using var precision = Autocast.For(o.Precision);
                return Timed("forward", () => model.call(x));
            }
            var input = Timed("layout_cast", () => prepared.Input(x));
            var y = Timed("forward", () => prepared.Compute(input));
            return Timed("output_cast", () => InferenceNetwork.Output(y));
        }
        var checksum = 0.0;
        var (_, seconds, peakMb) = PeakMemory.Measure(() =>
        {
            inferer.Infer(o.Depth, o.Height, o.Width,
                (start, count) => Timed("read", () => arange(start, start + count, dtype: float32).view(1, -1, 1, 1).expand(1, count, o.Height, o.Width).sin()),
                x => Timed("sigmoid", () => Network(x).sigmoid()),
                (_, predictions) => checksum += Timed("write", () => predictions.sum().item<float>()));
            return checksum;
        });
        var total = seconds * 1000;
        // "sigmoid" was timed around the network: what it adds is its own share.
        parts["sigmoid"] -= new[] { "layout_cast", "forward", "output_cast" }.Sum(p => parts.GetValueOrDefault(p));
        var breakdown = parts.ToDictionary(p => p.Key, p => (object)Math.Round(p.Value, 1));
        breakdown["blend"] = Math.Round(total - parts.Values.Sum(), 1);
        if (prepared is not null)
        {
            breakdown["prepare_once"] = Math.Round(prepareMs, 1);
        }
        return new Dictionary<string, object>
        {
            ["bench"] = "sliding_window",
            ["arch"] = o.Arch,
            ["volume"] = $"{o.Depth}x{o.Height}x{o.Width}",
            ["window"] = o.Window,
            ["overlap"] = o.Overlap,
            ["window_batch"] = o.WindowBatch,
            ["classes"] = o.Classes,
            ["precision"] = o.Precision,
            ["path"] = o.Path,
            ["threads"] = get_num_threads(),
            ["ms"] = Math.Round(total, 1),
            ["breakdown"] = breakdown,
            ["peak_mb"] = Math.Round(peakMb, 1),
            ["whole_volume_output_mb"] = Math.Round((double)o.Classes * o.Depth * o.Height * o.Width * sizeof(float) / (1 << 20), 1),
            // A non-finite sum (a kernel that produced NaN or infinity) is reported as text: JSON numbers cannot hold it.
            ["checksum"] = double.IsFinite(checksum) ? Math.Round(checksum, 1) : checksum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
