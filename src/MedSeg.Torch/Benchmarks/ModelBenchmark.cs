using System.Diagnostics;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// Times training steps (forward, BCE+Dice, backward, AdamW) or inference batches of a network on random data,
/// after warm-up steps that are not counted. Results are one flat record per configuration. A 3D network takes
/// <see cref="Options.Depth"/> slices (a D×H×W patch); a 2D one leaves it 0.
/// </summary>
public static class ModelBenchmark
{
    /// <param name="Encoder">Null: <c>resnet34</c>, or <c>none</c> for a network with its own encoder.</param>
    public sealed record Options(string Arch = "unet", string? Encoder = null, int Batch = 8, int Height = 256, int Width = 256,
        int InChannels = 1, int Classes = 3, int Steps = 5, int Warmup = 2, int Threads = 0, string Precision = "bf16", string Backend = "torch",
        int Depth = 0)
    {
        /// <summary>The encoder benchmarked: <see cref="Encoder"/>, or the architecture's default.</summary>
        public string ResolvedEncoder => Encoder ?? (ModelFactory.HasOwnEncoder(Arch) ? ModelFactory.NoEncoder : "resnet34");

        /// <summary>The input's spatial size: D×H×W for a 3D network, H×W for a 2D one.</summary>
        public long[] Spatial => Depth > 0 ? [Depth, Height, Width] : [Height, Width];
    }

    /// <summary>
    /// Runs each of <paramref name="configurations"/> in the given order; every result after the first carries
    /// <c>speedup_vs_fp32</c> (the first is the baseline: TorchSharp in fp32 by convention).
    /// </summary>
    public static IEnumerable<Dictionary<string, object>> Compare(IEnumerable<Options> configurations, bool training)
    {
        var key = training ? "ms_per_step" : "ms_per_batch";
        double? baseline = null;
        foreach (var configuration in configurations)
        {
            var result = Run(configuration, training);
            var ms = (double)result[key];
            if (baseline is { } b)
            {
                result["speedup_vs_fp32"] = Math.Round(b / ms, 2);
            }
            baseline ??= ms;
            yield return result;
        }
    }

    /// <summary>
    /// The benchmarked network, seeded (the same weights every run), with <see cref="Options.Threads"/> applied; fails
    /// naming <c>--size</c> when its dimensions do not match the network's.
    /// </summary>
    internal static SegmentationModel CreateModel(Options o)
    {
        if (o.Threads > 0)
        {
            set_num_threads(o.Threads);
        }
        manual_seed(0);
        var model = ModelFactory.Create(o.Arch, o.ResolvedEncoder, o.InChannels, o.Classes);
        var dims = model.SpatialDims;
        if (dims != o.Spatial.Length)
        {
            model.Dispose();
            throw new Core.MedSegException(dims == 3
                ? $"--arch {o.Arch} is a 3D network; give --size DxHxW (e.g. 64x64x64)."
                : $"--arch {o.Arch} is a 2D network; give --size HxW (or one number).");
        }
        return model;
    }

    /// <summary>
    /// Runs the benchmark; <paramref name="training"/> selects training steps over inference batches (those are timed by
    /// <see cref="InferenceBenchmark"/>: <see cref="Options.Backend"/> <c>torch</c> is its <c>eager</c> path).
    /// </summary>
    public static Dictionary<string, object> Run(Options o, bool training)
    {
        if (!training)
        {
            return InferenceBenchmark.Run(o, [o.Backend == "onnx" ? "onnx" : "eager"])[0];
        }
        if (o.Backend == "onnx")
        {
            throw new Core.MedSegException("the ONNX backend is timed for fp32 inference only (bench infer --precision fp32).");
        }
        using var model = CreateModel(o);
        using var optimizer = Training.OptimizerFactory.Create("adamw", model.parameters(), 1e-4, 0.01);
        var loss = SegmentationLoss.Parse("bce+dice");
        model.train();
        var times = new List<double>();
        var breakdown = new StepBreakdown();
        for (var i = 0; i < o.Warmup + o.Steps; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            using (Autocast.BFloat16(o.Precision == "bf16"))
            {
                TrainingStep(model, loss, optimizer, o, breakdown, record: i >= o.Warmup);
            }
            if (i >= o.Warmup)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        times.Sort();
        var median = times[times.Count / 2];
        var result = Describe(o, "train");
        result["backend"] = o.Backend;
        result["convolutions_in"] = o.Precision == "bf16" && Native.CpuConvolutionTypes.BFloat16 ? "bf16" : "fp32"; // what the CPU really computed
        AddTimes(result, o, "ms_per_step", median, times[0]);
        result["peak_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        result["breakdown"] = breakdown.Medians();
        return result;
    }

    /// <summary>The keys a <c>bench train</c>/<c>bench infer</c> line starts with: what was benchmarked.</summary>
    internal static Dictionary<string, object> Describe(Options o, string bench) => new()
    {
        ["bench"] = bench,
        ["arch"] = o.Arch,
        ["encoder"] = o.ResolvedEncoder,
        ["batch"] = o.Batch,
        ["size"] = string.Join("x", o.Spatial),
        ["in_channels"] = o.InChannels,
        ["classes"] = o.Classes,
        ["precision"] = o.Precision,
    };

    /// <summary>Adds the timing keys: threads, steps, <paramref name="key"/> (the median ms), <c>ms_min</c>, per example and slices per second.</summary>
    internal static void AddTimes(Dictionary<string, object> line, Options o, string key, double median, double min)
    {
        line["threads"] = get_num_threads();
        line["steps"] = o.Steps;
        line[key] = Math.Round(median, 1);
        line["ms_min"] = Math.Round(min, 1);
        line["ms_per_example"] = Math.Round(median / o.Batch, 1);
        line["slices_per_s"] = Math.Round(o.Batch * 1000 / median, 2);
    }

    /// <summary>
    /// One training step as the trainer runs it (zero_grad, forward, loss, backward, AdamW step), each part timed
    /// into <paramref name="breakdown"/>: <c>data</c> (random batch), <c>zero_grad</c>, <c>forward</c>, <c>loss</c>,
    /// <c>backward</c>, <c>optimizer</c>.
    /// </summary>
    private static void TrainingStep(nn.Module<Tensor, Tensor> model, SegmentationLoss loss, optim.Optimizer optimizer, Options o,
        StepBreakdown breakdown, bool record)
    {
        breakdown.Start();
        var x = randn([o.Batch, o.InChannels, .. o.Spatial]);
        var y = rand([o.Batch, o.Classes, .. o.Spatial]).gt(0.9).to_type(ScalarType.Float32);
        breakdown.Lap("data", record);
        optimizer.zero_grad();
        breakdown.Lap("zero_grad", record);
        var logits = model.call(x);
        breakdown.Lap("forward", record);
        var value = loss.Compute(logits, y);
        breakdown.Lap("loss", record);
        value.backward();
        breakdown.Lap("backward", record);
        optimizer.step();
        breakdown.Lap("optimizer", record);
    }
}
