using System.CommandLine;
using MedSeg.Core;
using MedSeg.Torch.Training;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg train</c>: trains one model and writes a run folder. Flags override <c>--config</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var d = new TrainConfig();
        var data = new Option<string>("--data") { Description = "Dataset folder: UW-Madison layout (train.csv and train/), or an nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/; one channel), preprocessed into RUN/preprocessed/ first.", Required = true };
        var output = new Option<string?>("--out") { Description = "Run folder to create (must not exist or be empty)." };
        var resume = new Option<string?>("--resume") { Description = "Continue this run folder from its last finished epoch, with its saved config (only --max-minutes and --threads may change)." };
        var config = new Option<string?>("--config") { Description = "JSON file with any of the options below (snake_case keys); flags override it." };
        var mode = new Option<string?>("--mode") { Description = $"2d, 2.5d or 3d (a 3D network on patches) [{d.Mode}]." };
        var arch = new Option<string?>("--arch") { Description = $"Architecture (see medseg models), or classifier: per-class slice presence, the --gate of predict [{d.Arch}]." };
        var outputStride = new Option<int?>("--output-stride") { Description = "Encoder output stride: 8, 16 or 32 for deeplabv3plus (default 16, as smp)." };
        var encoder = new Option<string?>("--encoder") { Description = $"Encoder [{d.Encoder}]." };
        var inSlices = new Option<int?>("--in-slices") { Description = $"2.5D: slices per input stack [{d.InSlices}]." };
        var sliceStride = new Option<int?>("--slice-stride") { Description = $"2.5D: slice step between stacked slices [{d.SliceStride}]." };
        var imageSize = new Option<string?>("--image-size") { Description = $"Network input HxW, multiples of 32 [{d.ImageSize}]." };
        var patch = new Option<string?>("--patch") { Description = $"3D: training patch and sliding window DxHxW, multiples of the network's size step [{d.Patch}]." };
        var features = new Option<int?>("--features") { Description = "3D: width of the network's first level (default: the architecture's)." };
        var levels = new Option<int?>("--levels") { Description = "3D: resolution levels of the network (default: the architecture's)." };
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs [{d.Epochs}]." };
        var batchSize = new Option<int?>("--batch-size") { Description = $"Slices per step [{d.BatchSize}]." };
        var lr = new Option<double?>("--lr") { Description = $"Peak learning rate of AdamW with cosine decay [{d.Lr}]." };
        var loss = new Option<string?>("--loss") { Description = $"Loss terms, e.g. bce:0.5+dice:0.5 [{d.Loss}]." };
        var folds = new Option<int?>("--folds") { Description = $"Number of GroupKFold folds (by case) [{d.Folds}]." };
        var fold = new Option<string?>("--fold") { Description = $"Validation fold index [{d.Fold}]." };
        var seed = new Option<int?>("--seed") { Description = $"Seed for weights, split and shuffling [{d.Seed}]." };
        var device = new Option<string?>("--device") { Description = $"cpu or cuda [{d.Device}]." };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "Stop after the step that passes this many minutes, then validate and save (0 = no limit)." };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: libtorch's choice)." };
        var optimizer = new Option<string?>("--optimizer") { Description = $"adamw or sgd [{d.Optimizer}]." };
        var schedule = new Option<string?>("--schedule") { Description = $"Learning-rate schedule: cosine, poly, onecycle, constant [{d.Schedule}]." };
        var warmup = new Option<double?>("--warmup-epochs") { Description = $"Linear warm-up epochs [{d.WarmupEpochs}]." };
        var gradClip = new Option<double?>("--grad-clip") { Description = "Clip gradients to this global L2 norm (0 = off)." };
        var accumulate = new Option<int?>("--accumulate") { Description = $"Batches per optimiser step (gradient accumulation) [{d.Accumulate}]." };
        var ema = new Option<double?>("--ema") { Description = "Weight EMA decay, e.g. 0.999; the EMA is validated and saved (0 = off)." };
        var valEvery = new Option<int?>("--val-every") { Description = $"Validate every N epochs [{d.ValEvery}]." };
        var patience = new Option<int?>("--patience") { Description = "Early stopping: epochs without a better validation score (0 = off)." };
        var augment = new Option<string?>("--augment") { Description = "Augmentation pipeline: a JSON file, or inline JSON, e.g. '[{\"name\":\"flip\",\"axes\":[\"h\"]}]' (stored in config.json)." };
        var normalisation = new Option<string?>("--normalisation") { Description = $"Intensity scaling: per-image-max, zscore, percentile:LO:HI (clip, then z-score) or window:LO:HI (original units, e.g. HU, for nnU-Net data) [{d.Normalisation}]." };
        var slices = new Option<string?>("--slices") { Description = $"Training slices: all, or annotated (any positive mask) [{d.Slices}]." };
        var ambiguous = new Option<string?>("--ambiguous") { Description = $"The slice before an organ's first / after its last annotated slice: keep, ignore (no loss) or drop [{d.Ambiguous}]." };
        var roiCrop = new Option<string?>("--roi-crop") { Description = $"Body crop before resizing: none, slice:F or case-day:F (drop borders below F × max); predictions are pasted back [{d.RoiCrop}]." };
        var cacheMb = new Option<int?>("--cache-mb") { Description = $"RAM for decoded slices kept between epochs, MiB [{d.CacheMb}]." };
        var loaderThreads = new Option<int?>("--loader-threads") { Description = $"Threads building batches ahead of the step (0 = none) [{d.LoaderThreads}]." };
        var prefetch = new Option<int?>("--prefetch") { Description = $"Batches built ahead at most [{d.Prefetch}]." };
        var precision = new Option<string?>("--precision") { Description = $"bf16 (bfloat16 convolutions, channels-last), fp16 (float16 with dynamic loss scaling, for CUDA) or fp32 [{d.Precision}]." };
        var command = new Command("train", "Train a segmentation model on a labelled dataset and write a run folder.")
        {
            data, output, config, mode, arch, outputStride, encoder, inSlices, sliceStride, imageSize, patch, features, levels, epochs, batchSize, lr, loss, folds, fold,
            seed, device, maxMinutes, threads, optimizer, schedule, warmup, gradClip, accumulate, ema, valEvery, patience, precision, augment, resume,
            normalisation, slices, ambiguous, roiCrop, cacheMb, loaderThreads, prefetch,
        };
        command.SetAction(parsed =>
        {
            var runPath = parsed.GetValue(output);
            var resumePath = parsed.GetValue(resume);
            if ((runPath is null) == (resumePath is null))
            {
                throw new MedSegException("give either --out RUN (a new run) or --resume RUN (continue one).");
            }
            var path = parsed.GetValue(config);
            var c = path is null ? new TrainConfig() : TrainConfig.Load(path);
            c = c with
            {
                Mode = parsed.GetValue(mode) ?? c.Mode,
                Arch = parsed.GetValue(arch) ?? c.Arch,
                Encoder = parsed.GetValue(encoder) ?? c.Encoder,
                OutputStride = parsed.GetValue(outputStride) ?? c.OutputStride,
                InSlices = parsed.GetValue(inSlices) ?? c.InSlices,
                SliceStride = parsed.GetValue(sliceStride) ?? c.SliceStride,
                ImageSize = parsed.GetValue(imageSize) ?? c.ImageSize,
                Patch = parsed.GetValue(patch) ?? c.Patch,
                Features = parsed.GetValue(features) ?? c.Features,
                Levels = parsed.GetValue(levels) ?? c.Levels,
                Epochs = parsed.GetValue(epochs) ?? c.Epochs,
                BatchSize = parsed.GetValue(batchSize) ?? c.BatchSize,
                Lr = parsed.GetValue(lr) ?? c.Lr,
                Loss = parsed.GetValue(loss) ?? c.Loss,
                Folds = parsed.GetValue(folds) ?? c.Folds,
                Fold = parsed.GetValue(fold) ?? c.Fold,
                Seed = parsed.GetValue(seed) ?? c.Seed,
                Device = parsed.GetValue(device) ?? c.Device,
                MaxMinutes = parsed.GetValue(maxMinutes) ?? c.MaxMinutes,
                Threads = parsed.GetValue(threads) ?? c.Threads,
                Optimizer = parsed.GetValue(optimizer) ?? c.Optimizer,
                Schedule = parsed.GetValue(schedule) ?? c.Schedule,
                WarmupEpochs = parsed.GetValue(warmup) ?? c.WarmupEpochs,
                GradClip = parsed.GetValue(gradClip) ?? c.GradClip,
                Accumulate = parsed.GetValue(accumulate) ?? c.Accumulate,
                Ema = parsed.GetValue(ema) ?? c.Ema,
                ValEvery = parsed.GetValue(valEvery) ?? c.ValEvery,
                Patience = parsed.GetValue(patience) ?? c.Patience,
                Precision = parsed.GetValue(precision) ?? c.Precision,
                Normalisation = parsed.GetValue(normalisation) ?? c.Normalisation,
                Slices = parsed.GetValue(slices) ?? c.Slices,
                Ambiguous = parsed.GetValue(ambiguous) ?? c.Ambiguous,
                RoiCrop = parsed.GetValue(roiCrop) ?? c.RoiCrop,
                CacheMb = parsed.GetValue(cacheMb) ?? c.CacheMb,
                LoaderThreads = parsed.GetValue(loaderThreads) ?? c.LoaderThreads,
                Prefetch = parsed.GetValue(prefetch) ?? c.Prefetch,
                Augment = AugmentText(parsed.GetValue(augment)) ?? c.Augment,
            };
            if (resumePath is null)
            {
                c.Validate();
            }
            var progress = new ConsoleProgress();
            var events = new TrainingEvents
            {
                Step = (epoch, total, step, steps, meanLoss) =>
                    progress.Update((double)step / steps, $"epoch {epoch}/{total} step {step}/{steps} loss {meanLoss:F4}"),
                Epoch = r =>
                {
                    progress.Clear();
                    Console.WriteLine(
                        $"epoch {r.Epoch,3}  loss {r.TrainLoss:F4}  val score {r.ValScore:F4}  dice {r.ValDice:F4}  hd {r.ValHausdorff:F4}  lr {r.Lr:E2}  {r.Seconds:F0}s{(r.Best ? "  *best" : "")}");
                },
                Message = m =>
                {
                    progress.Clear();
                    Console.WriteLine(m);
                },
            };
            TrainResult result;
            if (resumePath is not null)
            {
                var changed = parsed.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
                    .Select(o => o.Option.Name).Except(["--data", "--resume", "--max-minutes", "--threads"]).ToArray();
                if (changed.Length > 0)
                {
                    throw new MedSegException($"--resume continues a run with its saved config; drop {string.Join(", ", changed)} (only --max-minutes and --threads may change).");
                }
                result = Trainer.Resume(parsed.GetValue(data)!, resumePath, parsed.GetValue(maxMinutes), events);
            }
            else
            {
                result = Trainer.Train(parsed.GetValue(data)!, c, runPath!, events);
            }
            Console.WriteLine(result.BestEpoch == 0
                ? $"mean of the folds' best validation scores {result.BestScore:F4}; run folder {result.RunPath} (one fold_K per fold)"
                : $"best epoch {result.BestEpoch}: validation score {result.BestScore:F4}; run folder {result.RunPath}");
        });
        return command;
    }

    /// <summary>The pipeline JSON given to <c>--augment</c>: inline when it starts with '[', else the file's content.</summary>
    private static string? AugmentText(string? value)
    {
        if (value is null || value.TrimStart().StartsWith('['))
        {
            return value;
        }
        if (!File.Exists(value))
        {
            throw new MedSegException($"--augment {value}: no such file; give a JSON file or inline JSON starting with '['.");
        }
        return File.ReadAllText(value);
    }
}
