using System.CommandLine;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Torch.Benchmarks;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg bench train|infer</c>: one JSON line per measured configuration on stdout.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Performance measurements, one JSON line per result.");
        command.Subcommands.Add(ModelCommand("train", "Time training steps (forward, loss, backward, AdamW) on random data.", training: true));
        command.Subcommands.Add(ModelCommand("infer", "Time inference batches on random data.", training: false));
        return command;
    }

    private static Command ModelCommand(string name, string description, bool training)
    {
        var d = new ModelBenchmark.Options();
        var arch = new Option<string>("--arch") { Description = "Architecture.", DefaultValueFactory = _ => d.Arch };
        var encoder = new Option<string>("--encoder") { Description = "Encoder.", DefaultValueFactory = _ => d.Encoder };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => d.Batch };
        var size = new Option<string>("--size") { Description = "Input HxW (or one number for a square).", DefaultValueFactory = _ => "256" };
        var inChannels = new Option<int>("--in-channels") { Description = "Input channels.", DefaultValueFactory = _ => d.InChannels };
        var classes = new Option<int>("--classes") { Description = "Output classes.", DefaultValueFactory = _ => d.Classes };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 2 warm-up steps); the median is reported.", DefaultValueFactory = _ => d.Steps };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = default).", DefaultValueFactory = _ => 0 };
        var precision = new Option<string>("--precision") { Description = "fp32, bf16, or both (fp32 first as the baseline).", DefaultValueFactory = _ => "both" };
        var command = new Command(name, description) { arch, encoder, batch, size, inChannels, classes, steps, threads, precision };
        command.SetAction(parsed =>
        {
            var sizeText = parsed.GetValue(size)!;
            var (h, w) = sizeText.Contains('x') ? SizeText.Parse(sizeText, "--size") : SizeText.Parse($"{sizeText}x{sizeText}", "--size");
            var precisions = parsed.GetValue(precision) switch
            {
                "both" => new[] { "fp32", "bf16" },
                "fp32" => ["fp32"],
                "bf16" => ["bf16"],
                var p => throw new MedSegException($"--precision {p} is unknown; valid: fp32, bf16, both."),
            };
            var options = new ModelBenchmark.Options(parsed.GetValue(arch)!, parsed.GetValue(encoder)!, parsed.GetValue(batch), h, w,
                parsed.GetValue(inChannels), parsed.GetValue(classes), parsed.GetValue(steps), Threads: parsed.GetValue(threads));
            foreach (var result in ModelBenchmark.Compare(options, training, precisions))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }
}
