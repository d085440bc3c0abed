using System.Diagnostics;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// Times inference batches of a network on random data (<c>medseg bench infer</c>) along the paths a prediction can take:
/// <c>eager</c> (the network as trained, in an <see cref="Autocast"/> scope: every convolution casts its input and weights
/// on each call), <c>prepared</c> (<see cref="InferenceNetwork"/>: BatchNorm folded, weights cast once, channels-last
/// activations in the compute type) and <c>onnx</c> (ONNX Runtime, fp32). The paths of one precision share one network's
/// weights and are timed interleaved, batch by batch, after warm-up batches, so machine load hits them alike; each result
/// carries the median time and a <c>breakdown</c> (median ms per part of the batch).
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>The paths a batch can take.</summary>
    public static readonly string[] Paths = ["eager", "prepared", "onnx"];

    /// <summary>
    /// One result per (precision, path) in the given order; every result after the first carries <c>speedup_vs_fp32</c>
    /// (the first is the baseline: fp32 eager by convention). <c>onnx</c> is timed with fp32 only.
    /// </summary>
    public static IEnumerable<Dictionary<string, object>> Compare(ModelBenchmark.Options options, IReadOnlyList<string> precisions, IReadOnlyList<string> paths)
    {
        foreach (var path in paths.Where(p => !Paths.Contains(p)))
        {
            throw new Core.MedSegException($"--path {path} is unknown; valid: {string.Join(", ", Paths)}.");
        }
        double? baseline = null;
        foreach (var precision in precisions)
        {
            var timed = paths.Where(p => p != "onnx" || precision == "fp32").ToArray();
            foreach (var result in Run(options with { Precision = precision }, timed))
            {
                var ms = (double)result["ms_per_batch"];
                if (baseline is { } b)
                {
                    result["speedup_vs_fp32"] = Math.Round(b / ms, 2);
                }
                baseline ??= ms;
                yield return result;
            }
        }
    }

    /// <summary>Times <paramref name="paths"/> interleaved for one precision; one result per path.</summary>
    public static IReadOnlyList<Dictionary<string, object>> Run(ModelBenchmark.Options o, IReadOnlyList<string> paths)
    {
        using var model = ModelBenchmark.CreateModel(o);
        model.eval();
        var runners = paths.Select(path => Runner(path, model, o)).ToArray();
        try
        {
            var parts = runners.Select(_ => new Dictionary<string, List<double>>()).ToArray();
            for (var i = 0; i < o.Warmup + o.Steps; i++)
            {
                for (var r = 0; r < runners.Length; r++)
                {
                    var times = runners[r].Batch(o);
                    if (i < o.Warmup)
                    {
                        continue;
                    }
                    foreach (var (part, ms) in times.Append(("total", times.Sum(t => t.Ms))))
                    {
                        (parts[r].TryGetValue(part, out var list) ? list : parts[r][part] = []).Add(ms);
                    }
                }
            }
            return [.. runners.Select((runner, r) => Result(o, runner, parts[r]))];
        }
        finally
        {
            foreach (var runner in runners.Where(r => !ReferenceEquals(r.Network, model)))
            {
                runner.Network.Dispose();
            }
        }
    }

    /// <summary>A path's network (and what preparing it cost) and how it runs one batch, part by part.</summary>
    private sealed record PathRunner(string Path, nn.Module<Tensor, Tensor> Network, double PrepareMs, Func<ModelBenchmark.Options, (string Part, double Ms)[]> Batch)
    {
        public int FoldedBatchNorms => Network is InferenceNetwork prepared ? prepared.FoldedBatchNorms : 0;
    }

    private static PathRunner Runner(string path, SegmentationModel model, ModelBenchmark.Options o)
    {
        var clock = Stopwatch.StartNew();
        switch (path)
        {
            case "prepared":
                var prepared = InferenceNetwork.PrepareCopy(model, () => ModelFactory.Create(o.Arch, o.ResolvedEncoder, o.InChannels, o.Classes), o.Precision, CPU, o.Spatial);
                return new PathRunner(path, prepared, clock.Elapsed.TotalMilliseconds, options => Timed(options, x =>
                {
                    var input = Part("layout_cast", () => prepared.Input(x));
                    var y = Part("forward", () => prepared.Compute(input.Value));
                    var output = Part("output_cast", () => InferenceNetwork.Output(y.Value));
                    return (output.Value, [input.Time, y.Time, output.Time]);
                }));
            case "onnx":
                if (o.Precision != "fp32")
                {
                    throw new Core.MedSegException("the ONNX backend is timed for fp32 inference only (bench infer --precision fp32).");
                }
                var onnx = OnnxRuntimeNetwork.From(model, o.Spatial);
                return new PathRunner(path, onnx, clock.Elapsed.TotalMilliseconds, options => Timed(options, x =>
                {
                    var y = Part("forward", () => onnx.call(x));
                    return (y.Value, [y.Time]);
                }));
            default:
                return new PathRunner(path, model, 0, options => Timed(options, x =>
                {
                    using var precision = Autocast.For(options.Precision);
                    using var noGrad = no_grad();
                    var y = Part("forward", () => model.call(x));
                    return (y.Value, [y.Time]);
                }));
        }
    }

    /// <summary>One batch: random input, the path's parts, then the per-class sigmoid reduced to a number (as a caller reads it).</summary>
    private static (string Part, double Ms)[] Timed(ModelBenchmark.Options o, Func<Tensor, (Tensor Output, (string, double)[] Parts)> path)
    {
        using var scope = NewDisposeScope();
        var input = Part("input", () => randn([o.Batch, o.InChannels, .. o.Spatial]));
        var (output, parts) = path(input.Value);
        var probabilities = Part("sigmoid_read", () => output.sigmoid().sum().item<float>());
        return [input.Time, .. parts, probabilities.Time];
    }

    private static (T Value, (string Part, double Ms) Time) Part<T>(string name, Func<T> part)
    {
        var clock = Stopwatch.StartNew();
        var value = part();
        return (value, (name, clock.Elapsed.TotalMilliseconds));
    }

    private static Dictionary<string, object> Result(ModelBenchmark.Options o, PathRunner runner, Dictionary<string, List<double>> parts)
    {
        var totals = parts["total"].Order().ToArray();
        var median = totals[totals.Length / 2];
        var breakdown = parts.Where(p => p.Key != "total").ToDictionary(p => p.Key, p => (object)Math.Round(Median(p.Value), 1));
        if (runner.Path == "prepared")
        {
            breakdown["prepare_once"] = Math.Round(runner.PrepareMs, 1);
        }
        var convolutionsIn = runner.Path switch
        {
            "onnx" => "fp32",
            "prepared" => ((InferenceNetwork)runner.Network).ComputeType switch { ScalarType.BFloat16 => "bf16", ScalarType.Float16 => "fp16", _ => "fp32" },
            _ => o.Precision == "bf16" && Native.CpuConvolutionTypes.BFloat16 ? "bf16" : "fp32",
        };
        var line = ModelBenchmark.Describe(o, "infer");
        line["backend"] = runner.Path == "onnx" ? "onnx" : "torch";
        line["path"] = runner.Path;
        line["convolutions_in"] = convolutionsIn; // what the CPU really computed
        line["folded_batchnorms"] = runner.FoldedBatchNorms;
        ModelBenchmark.AddTimes(line, o, "ms_per_batch", median, totals[0]);
        line["breakdown"] = breakdown;
        line["peak_mb"] = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024);
        return line;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
