using System.Text.Json;
using MedSeg.Torch.Benchmarks;

// The benchmark suite: training steps and inference batches of the default U-Net at the demo's and the
// competition's input sizes, fp32 (the baseline) then bf16 channels-last (and, for inference, ONNX Runtime on the
// exported graph), one JSON line per result.
// Usage: dotnet run -c Release --project benchmarks/MedSeg.Benchmarks [-- quick]
var quick = args.Contains("quick");
(int H, int W)[] sizes = quick ? [(160, 192)] : [(160, 192), (256, 256)];
foreach (var training in new[] { true, false })
{
    foreach (var (h, w) in sizes)
    {
        var options = new ModelBenchmark.Options(Height: h, Width: w, Steps: quick ? 2 : 5);
        ModelBenchmark.Options[] configurations = training
            ? [options with { Precision = "fp32" }, options with { Precision = "bf16" }]
            : [options with { Precision = "fp32" }, options with { Precision = "bf16" }, options with { Precision = "fp32", Backend = "onnx" }];
        foreach (var result in ModelBenchmark.Compare(configurations, training))
        {
            Console.WriteLine(JsonSerializer.Serialize(result));
        }
    }
}
