using System.CommandLine;
using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Benchmarks;
using MedSeg.Core.Evaluation;
using MedSeg.Torch.Benchmarks;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg bench train|infer|data|metrics|window|folder|dicom|soak|copy-labels</c>: one JSON line per measured configuration on stdout.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Performance measurements, one JSON line per result.");
        command.Subcommands.Add(ModelCommand("train", "Time training steps (forward, loss, backward, AdamW) on random data.", training: true));
        command.Subcommands.Add(ModelCommand("infer", "Time inference batches on random data.", training: false));
        command.Subcommands.Add(DataCommand());
        command.Subcommands.Add(MetricsCommand());
        command.Subcommands.Add(WindowCommand());
        command.Subcommands.Add(FolderCommand());
        command.Subcommands.Add(DicomCommand());
        command.Subcommands.Add(SoakCommand());
        command.Subcommands.Add(CopyLabelsCommand());
        return command;
    }

    private static Command CopyLabelsCommand()
    {
        var data = new Option<string>("--data") { Description = "nnU-Net dataset with a labelled training case and held-out images (imagesTs), e.g. from 'medseg synth --layout nnunet --anatomy brain'.", Required = true };
        var output = new Option<string>("--out") { Description = "New folder for the CASE.nii.gz label maps; score them with 'medseg evaluate --pred OUT --truth DATA'.", Required = true };
        var command = new Command("copy-labels", "Accuracy baseline: label propagation without registration, the first training case's label map written unchanged as the prediction of every held-out case.")
        {
            data, output,
        };
        command.SetAction(parsed =>
        {
            var cases = LabelCopyBaseline.Write(parsed.GetValue(data)!, parsed.GetValue(output)!);
            Console.WriteLine(JsonSerializer.Serialize(new { bench = "copy-labels", cases, out_folder = parsed.GetValue(output) }));
        });
        return command;
    }

    private static Command SoakCommand()
    {
        var d = new SoakBenchmark.Options();
        var trainSteps = new Option<int>("--train-steps") { Description = "Training steps of the tiny 3D U-Net (a multiple of --every).", DefaultValueFactory = _ => d.TrainSteps };
        var inferPasses = new Option<int>("--infer-passes") { Description = "Sliding-window predictions of a case-day (5 batches each).", DefaultValueFactory = _ => d.InferPasses };
        var every = new Option<int>("--every") { Description = "Steps or passes between readings of resident memory and live tensors.", DefaultValueFactory = _ => d.Every };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = default).", DefaultValueFactory = _ => d.Threads };
        var command = new Command("soak", "Memory soak: trains a tiny 3D U-Net through the trainer, then predicts again and again; one JSON line per reading of resident memory and live tensors, then the growth after warm-up.")
        {
            trainSteps, inferPasses, every, threads,
        };
        command.SetAction(parsed =>
        {
            var options = new SoakBenchmark.Options(parsed.GetValue(trainSteps), parsed.GetValue(inferPasses), parsed.GetValue(every), parsed.GetValue(threads));
            if (options.Every < 1 || options.TrainSteps < options.Every || options.InferPasses < options.Every)
            {
                throw new MedSegException($"--every {options.Every} must be at least 1 and at most --train-steps and --infer-passes.");
            }
            var work = Path.Combine(Path.GetTempPath(), $"medseg-soak-{Guid.NewGuid():N}");
            try
            {
                var samples = SoakBenchmark.Run(options, work, s => Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["bench"] = "soak", ["stage"] = s.Stage, ["count"] = s.Count, ["rss_mb"] = Math.Round(s.RssMb, 1), ["live_tensors"] = s.LiveTensors,
                })));
                var summary = new Dictionary<string, object> { ["bench"] = "soak_growth", ["train_steps"] = options.TrainSteps, ["infer_passes"] = options.InferPasses, ["every"] = options.Every };
                foreach (var stage in new[] { "train", "infer" })
                {
                    summary[$"{stage}_rss_growth_pct"] = Math.Round(100 * SoakBenchmark.Growth(samples, stage, s => s.RssMb), 2);
                    summary[$"{stage}_tensor_growth_pct"] = Math.Round(100 * SoakBenchmark.Growth(samples, stage, s => s.LiveTensors), 2);
                }
                Console.WriteLine(JsonSerializer.Serialize(summary));
            }
            finally
            {
                if (Directory.Exists(work))
                {
                    Directory.Delete(work, recursive: true);
                }
            }
        });
        return command;
    }

    private static Command FolderCommand()
    {
        var d = new FolderBenchmark.Options();
        var trainImages = new Option<int>("--images") { Description = "Training images per epoch the seconds per epoch are extrapolated to (the seed: 367).", DefaultValueFactory = _ => d.TrainImages };
        var testImages = new Option<int>("--test-images") { Description = "Test images the inference time is extrapolated to (the seed: 233).", DefaultValueFactory = _ => d.TestImages };
        var size = new Option<string>("--size") { Description = "Image HxW (also the network input).", DefaultValueFactory = _ => $"{d.Height}x{d.Width}" };
        var classes = new Option<int>("--classes") { Description = "Classes, background included.", DefaultValueFactory = _ => d.Classes };
        var arch = new Option<string>("--arch") { Description = "Architecture.", DefaultValueFactory = _ => d.Arch };
        var encoder = new Option<string>("--encoder") { Description = "Encoder.", DefaultValueFactory = _ => d.Encoder };
        var batch = new Option<int>("--batch") { Description = "Images per training step and per inference batch.", DefaultValueFactory = _ => d.Batch };
        var steps = new Option<int>("--steps") { Description = "Training steps measured (in the second of two epochs; the first warms up).", DefaultValueFactory = _ => d.Steps };
        var inferImages = new Option<int>("--infer-images") { Description = "Test images whose prediction is timed (after one warm-up image).", DefaultValueFactory = _ => d.InferImages };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = default).", DefaultValueFactory = _ => d.Threads };
        var precision = new Option<string>("--precision") { Description = "bf16, fp16 or fp32.", DefaultValueFactory = _ => d.Precision };
        var command = new Command("folder", "The seed's experiment 01 on a synthetic CamVid-shaped folder dataset (FPN + se_resnext50_32x4d, 320x480 RGB, 32 classes): seconds per training epoch and images/s at inference through train and predict, measured on a few steps and extrapolated, beside the seed's CPU figures.")
        {
            trainImages, testImages, size, classes, arch, encoder, batch, steps, inferImages, threads, precision,
        };
        command.SetAction(parsed =>
        {
            var (h, w) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            foreach (var (value, option) in new[] { (parsed.GetValue(steps), "--steps"), (parsed.GetValue(batch), "--batch"), (parsed.GetValue(inferImages), "--infer-images") })
            {
                if (value < 1)
                {
                    throw new MedSegException($"{option} {value} must be at least 1.");
                }
            }
            var options = d with
            {
                TrainImages = parsed.GetValue(trainImages), TestImages = parsed.GetValue(testImages), Height = h, Width = w, Classes = parsed.GetValue(classes),
                Arch = parsed.GetValue(arch)!, Encoder = parsed.GetValue(encoder)!, Batch = parsed.GetValue(batch), Steps = parsed.GetValue(steps),
                InferImages = parsed.GetValue(inferImages), Threads = parsed.GetValue(threads), Precision = parsed.GetValue(precision)!,
            };
            foreach (var result in FolderBenchmark.Run(options, message => Console.Error.WriteLine(message)))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }

    private static Command DicomCommand()
    {
        var data = new Option<string>("--data") { Description = "Folder of DICOM series (e.g. a PACS export) to read.", Required = true };
        var repeats = new Option<int>("--repeats") { Description = "Times the folder is read; one result line each.", DefaultValueFactory = _ => 3 };
        var command = new Command("dicom", "Slices/s of reading DICOM series as inspect, predict and train do: header scan (group, sort, check) and pixel decoding.")
        {
            data, repeats,
        };
        command.SetAction(parsed =>
        {
            foreach (var result in DicomReadBenchmark.Run(parsed.GetValue(data)!, parsed.GetValue(repeats)))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }

    private static Command WindowCommand()
    {
        var d = new SlidingWindowBenchmark.Options();
        var depths = new Option<string>("--depths") { Description = "Volume depths to run, comma-separated (peak memory should not grow with depth).", DefaultValueFactory = _ => $"{d.Depth},{2 * d.Depth}" };
        var size = new Option<string>("--size") { Description = "Slice HxW of the volume.", DefaultValueFactory = _ => $"{d.Height}x{d.Width}" };
        var window = new Option<string>("--window") { Description = "Window DxHxW.", DefaultValueFactory = _ => d.Window };
        var overlap = new Option<double>("--overlap") { Description = "Window overlap fraction.", DefaultValueFactory = _ => d.Overlap };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = default).", DefaultValueFactory = _ => 0 };
        var precision = new Option<string>("--precision") { Description = "fp32, bf16 or fp16: what the network computes in.", DefaultValueFactory = _ => d.Precision };
        var path = new Option<string>("--path")
        {
            Description = "eager (the network as trained), prepared (BatchNorm folded, weights cast once, channels-last), or both (alternating, --repeats times).",
            DefaultValueFactory = _ => "both",
        };
        var repeats = new Option<int>("--repeats") { Description = "Runs per depth and path (paths alternate: A, B, A, B, ...).", DefaultValueFactory = _ => 1 };
        var command = new Command("window", "Time 3D sliding-window inference (unet3d, Gaussian blending) and the peak memory it adds, per volume depth.")
        {
            depths, size, window, overlap, threads, precision, path, repeats,
        };
        command.SetAction(parsed =>
        {
            var (h, w) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            foreach (var part in parsed.GetValue(depths)!.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, out var depth) || depth < 1)
                {
                    throw new MedSegException($"--depths {parsed.GetValue(depths)}: '{part}' is not a positive whole number; give depths like 80,160.");
                }
                var options = d with
                {
                    Depth = depth, Height = h, Width = w, Window = parsed.GetValue(window)!, Overlap = parsed.GetValue(overlap), Threads = parsed.GetValue(threads),
                    Precision = parsed.GetValue(precision)!,
                };
                var paths = parsed.GetValue(path) == "both" ? SlidingWindowBenchmark.Paths : [parsed.GetValue(path)!];
                for (var r = 0; r < Math.Max(1, parsed.GetValue(repeats)); r++)
                {
                    foreach (var p in paths)
                    {
                        Console.WriteLine(JsonSerializer.Serialize(SlidingWindowBenchmark.Run(options with { Path = p })));
                    }
                }
            }
        });
        return command;
    }

    private static Command DataCommand()
    {
        var d = new DataBenchmarkOptions();
        var cases = new Option<int>("--cases") { Description = "Synthetic cases (one day each).", DefaultValueFactory = _ => d.Cases };
        var slices = new Option<int>("--slices") { Description = "Slices per case-day.", DefaultValueFactory = _ => d.Slices };
        var size = new Option<string>("--size") { Description = "Slice HxW in pixels.", DefaultValueFactory = _ => $"{d.Height}x{d.Width}" };
        var batch = new Option<int>("--batch") { Description = "Slices per batch.", DefaultValueFactory = _ => d.Batch };
        var inSlices = new Option<int>("--in-slices") { Description = "Slices per 2.5D input stack.", DefaultValueFactory = _ => d.InSlices };
        var stride = new Option<int>("--slice-stride") { Description = "Distance between stacked slices.", DefaultValueFactory = _ => d.SliceStride };
        var networkSize = new Option<int>("--network-size") { Description = "Side of the square network input.", DefaultValueFactory = _ => d.NetworkSize };
        var cacheMb = new Option<int>("--cache-mb") { Description = "Slice cache budget of the loader runs in MiB.", DefaultValueFactory = _ => d.CacheMb };
        var trainSteps = new Option<int>("--train-steps") { Description = "U-Net training steps fed by the loader, for its wait share (0 = skip).", DefaultValueFactory = _ => d.TrainSteps };
        var augment = new Option<string>("--augment") { Description = "Augmentation pipeline (JSON) of the augmented runs.", DefaultValueFactory = _ => d.Augment };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic data and the augmentation.", DefaultValueFactory = _ => d.Seed };
        var command = new Command("data", "Slices/s of PNG decoding, the synchronous batch path and the threaded loader (cold/warm cache, 1/2 threads, with/without augmentation) on a temporary synthetic dataset.")
        {
            cases, slices, size, batch, inSlices, stride, networkSize, cacheMb, trainSteps, augment, seed,
        };
        command.SetAction(parsed =>
        {
            var (h, w) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            var options = new DataBenchmarkOptions(parsed.GetValue(cases), parsed.GetValue(slices), h, w, parsed.GetValue(batch), parsed.GetValue(inSlices),
                parsed.GetValue(stride), parsed.GetValue(networkSize), parsed.GetValue(cacheMb), parsed.GetValue(trainSteps), parsed.GetValue(augment)!,
                parsed.GetValue(seed));
            foreach (var result in DataBenchmark.Run(options))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }

    private static Command MetricsCommand()
    {
        var d = new MetricsBenchmarkOptions();
        var depth = new Option<int>("--depth") { Description = "Slices per volume and per synthetic case-day.", DefaultValueFactory = _ => d.Depth };
        var size = new Option<string>("--size") { Description = "Slice HxW in pixels.", DefaultValueFactory = _ => $"{d.Height}x{d.Width}" };
        var repeats = new Option<int>("--repeats") { Description = "Timed HD95 runs per pair (after a warm-up); the median is reported.", DefaultValueFactory = _ => d.Repeats };
        var slices = new Option<int>("--slices") { Description = "Slices of the synthetic submission scored with uwmgi (3 classes each).", DefaultValueFactory = _ => d.Slices };
        var threads = new Option<int>("--threads") { Description = "Threads for the submission evaluation.", DefaultValueFactory = _ => d.Threads };
        var baseline = new Option<int>("--baseline-case-days") { Description = "Case-days scored by the naive baseline and by MedSeg for comparison.", DefaultValueFactory = _ => d.BaselineCaseDays };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic organs.", DefaultValueFactory = _ => d.Seed };
        var command = new Command("metrics", "Time HD95 of one mask pair (one thread) and a full uwmgi evaluation of a synthetic submission, each against a naive baseline.")
        {
            depth, size, repeats, slices, threads, baseline, seed,
        };
        command.SetAction(parsed =>
        {
            var (h, w) = SizeText.Parse(parsed.GetValue(size)!, "--size");
            var options = new MetricsBenchmarkOptions(parsed.GetValue(depth), h, w, parsed.GetValue(repeats), parsed.GetValue(slices),
                parsed.GetValue(threads), parsed.GetValue(baseline), parsed.GetValue(seed));
            foreach (var result in MetricsBenchmark.Run(options))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }

    private static Command ModelCommand(string name, string description, bool training)
    {
        var d = new ModelBenchmark.Options();
        var arch = new Option<string>("--arch") { Description = "Architecture.", DefaultValueFactory = _ => d.Arch };
        var encoder = new Option<string?>("--encoder") { Description = "Encoder [default: resnet34; none for a network with its own encoder]." };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => d.Batch };
        var size = new Option<string>("--size") { Description = "Input HxW (or one number for a square); DxHxW for a 3D network.", DefaultValueFactory = _ => "256" };
        var inChannels = new Option<int>("--in-channels") { Description = "Input channels.", DefaultValueFactory = _ => d.InChannels };
        var classes = new Option<int>("--classes") { Description = "Output classes.", DefaultValueFactory = _ => d.Classes };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after 2 warm-up steps); the median is reported.", DefaultValueFactory = _ => d.Steps };
        var threads = new Option<int>("--threads") { Description = "libtorch CPU threads (0 = default).", DefaultValueFactory = _ => 0 };
        var precision = new Option<string>("--precision") { Description = "fp32, bf16, or both (fp32 first as the baseline).", DefaultValueFactory = _ => "both" };
        var backend = new Option<string>("--backend") { Description = "infer: torch, onnx (ONNX Runtime on the exported graph, fp32), or both (torch first).", DefaultValueFactory = _ => "torch" };
        var command = new Command(name, description) { arch, encoder, batch, size, inChannels, classes, steps, threads, precision };
        var path = new Option<string>("--path")
        {
            Description = "infer (torch backend): eager (the network as trained, autocast per convolution), prepared (BatchNorm folded, weights cast once, channels-last), or both (timed interleaved).",
            DefaultValueFactory = _ => "both",
        };
        if (!training)
        {
            command.Options.Add(backend);
            command.Options.Add(path);
        }
        command.SetAction(parsed =>
        {
            var sizeText = parsed.GetValue(size)!;
            var patch = sizeText.Count(c => c == 'x') == 2 ? Core.Data.PatchSize.Parse(sizeText, "--size") : (Core.Data.PatchSize?)null;
            var (h, w) = patch is { } p3 ? (p3.Height, p3.Width)
                : sizeText.Contains('x') ? SizeText.Parse(sizeText, "--size") : SizeText.Parse($"{sizeText}x{sizeText}", "--size");
            var precisions = parsed.GetValue(precision) switch
            {
                "both" => new[] { "fp32", "bf16" },
                "fp32" => ["fp32"],
                "bf16" => ["bf16"],
                var p => throw new MedSegException($"--precision {p} is unknown; valid: fp32, bf16, both."),
            };
            var options = new ModelBenchmark.Options(parsed.GetValue(arch)!, parsed.GetValue(encoder), parsed.GetValue(batch), h, w,
                parsed.GetValue(inChannels), parsed.GetValue(classes), parsed.GetValue(steps), Threads: parsed.GetValue(threads), Depth: patch?.Depth ?? 0);
            var backends = training ? ["torch"] : parsed.GetValue(backend) switch
            {
                "both" => new[] { "torch", "onnx" },
                "torch" => ["torch"],
                "onnx" => ["onnx"],
                var b => throw new MedSegException($"--backend {b} is unknown; valid: torch, onnx, both."),
            };
            if (!training)
            {
                var torchPaths = parsed.GetValue(path) switch
                {
                    "both" => new[] { "eager", "prepared" },
                    "eager" => ["eager"],
                    "prepared" => ["prepared"],
                    var other => throw new MedSegException($"--path {other} is unknown; valid: eager, prepared, both."),
                };
                // ONNX Runtime computes in fp32: it is timed with the fp32 precision only.
                string[] paths = [.. backends.SelectMany(b => b == "onnx" ? ["onnx"] : torchPaths)];
                foreach (var result in InferenceBenchmark.Compare(options, precisions, paths))
                {
                    Console.WriteLine(JsonSerializer.Serialize(result));
                }
                return;
            }
            var configurations = backends.SelectMany(b => b == "onnx" ? [options with { Backend = b, Precision = "fp32" }] : precisions.Select(p => options with { Backend = b, Precision = p }));
            foreach (var result in ModelBenchmark.Compare(configurations, training))
            {
                Console.WriteLine(JsonSerializer.Serialize(result));
            }
        });
        return command;
    }
}
