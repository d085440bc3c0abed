using MedSeg.Core.Inference;
using System.Diagnostics;
using MedSeg.Core.Benchmarks;
using MedSeg.Core.Synthetic;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// The seed's experiment 01 (smp's CamVid example: FPN with an SE-ResNeXt-50 32×4d encoder, 320×480 RGB images, 32
/// classes, 367 training and 233 test images; 110 s per epoch and 5.8 images/s on the seed's CPU) on a synthetic folder
/// dataset of the same shape, through the real pipeline: <c>train</c> (two epochs of <see cref="Options.Steps"/> batches
/// with <c>--folds 1</c>; the second epoch's training time, loading and augmentation-free batches included, per image,
/// times <see cref="Options.TrainImages"/> is the extrapolated seconds per epoch) and <c>predict</c> (after one warm-up
/// image, <see cref="Options.InferImages"/> test images at their own size, model loading and PNG writing included).
/// Fewer images are measured than the seed's epoch holds: the JSON says so (<c>measured_images</c>, <c>extrapolated</c>).
/// </summary>
public static class FolderBenchmark
{
    /// <summary>The seed's CPU figures for experiment 01.</summary>
    public const double SeedSecondsPerEpoch = 110, SeedImagesPerSecond = 5.8;

    public sealed record Options(int TrainImages = 367, int TestImages = 233, int Height = 320, int Width = 480, int Classes = 32,
        string Arch = "fpn", string Encoder = "se_resnext50_32x4d", int Batch = 8, int Steps = 2, int InferImages = 8, int Threads = 0,
        string Precision = "bf16", int Seed = 0);

    /// <summary>Runs both measurements in a temporary folder (deleted afterwards); one JSON object per measurement.</summary>
    public static IReadOnlyList<Dictionary<string, object?>> Run(Options o, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        string root = Path.Combine(Path.GetTempPath(), $"medseg-bench-folder-{Guid.NewGuid():N}");
        try
        {
            string data = Path.Combine(root, "data"), run = Path.Combine(root, "run");
            int trained = o.Batch * o.Steps;
            FolderSynth.Write(data, new FolderSynthOptions(Height: o.Height, Width: o.Width, Classes: o.Classes, Seed: o.Seed, Split: [trained, 0, 1 + o.InferImages]), progress);
            var config = new TrainConfig
            {
                Arch = o.Arch,
                Encoder = o.Encoder,
                ImageSize = $"{o.Height}x{o.Width}",
                Epochs = 2,
                BatchSize = o.Batch,
                Folds = 1,
                Threads = o.Threads,
                Precision = o.Precision,
                Seed = o.Seed,
            };
            var load = MachineLoad.OneMinute();
            var result = Trainer.Train(data, config, run, new TrainingEvents { Message = progress });
            var epoch = result.Epochs[^1];
            double secondsPerImage = epoch.TrainSeconds / epoch.Samples;
            var common = new Dictionary<string, object?>
            {
                ["arch"] = o.Arch,
                ["encoder"] = o.Encoder,
                ["size"] = $"{o.Height}x{o.Width}",
                ["classes"] = o.Classes,
                ["batch"] = o.Batch,
                ["precision"] = o.Precision,
                ["threads"] = o.Threads == 0 ? TorchSharp.torch.get_num_threads() : o.Threads,
            };
            var train = new Dictionary<string, object?>(common)
            {
                ["bench"] = "folder_train",
                ["measured_images"] = epoch.Samples,
                ["measured_s"] = Math.Round(epoch.TrainSeconds, 2),
                ["s_per_image"] = Math.Round(secondsPerImage, 3),
                ["epoch_images"] = o.TrainImages,
                ["s_per_epoch"] = Math.Round(secondsPerImage * o.TrainImages, 1),
                ["extrapolated"] = epoch.Samples < o.TrainImages,
                ["seed_cpu_s_per_epoch"] = SeedSecondsPerEpoch,
                ["load_1min_before"] = load,
                ["load_1min_after"] = MachineLoad.OneMinute(),
            };
            progress?.Invoke($"training: {epoch.TrainSeconds:F1} s for {epoch.Samples} images");
            var test = Path.Combine(data, "test", "images");
            var warmUp = Path.Combine(root, "warm-up");
            Directory.CreateDirectory(warmUp);
            File.Copy(Directory.GetFiles(test).Order(StringComparer.Ordinal).First(), Path.Combine(warmUp, "warm.png"));
            var options = new PredictOptions(Tta: "none", BatchSize: o.Batch);
            FolderPredictor.Predict([run], null, warmUp, Path.Combine(root, "warm-pred"), options, "cpu");
            File.Delete(Directory.GetFiles(test).Order(StringComparer.Ordinal).First());
            load = MachineLoad.OneMinute();
            var clock = Stopwatch.StartNew();
            var written = FolderPredictor.Predict([run], null, test, Path.Combine(root, "pred"), options, "cpu");
            var seconds = clock.Elapsed.TotalSeconds;
            var infer = new Dictionary<string, object?>(common)
            {
                ["bench"] = "folder_infer",
                ["measured_images"] = written.Cases,
                ["measured_s"] = Math.Round(seconds, 2),
                ["images_per_s"] = Math.Round(written.Cases / seconds, 3),
                ["test_images"] = o.TestImages,
                ["s_for_test_images"] = Math.Round(seconds / written.Cases * o.TestImages, 1),
                ["extrapolated"] = written.Cases < o.TestImages,
                ["tta"] = "none",
                ["seed_cpu_images_per_s"] = SeedImagesPerSecond,
                ["load_1min_before"] = load,
                ["load_1min_after"] = MachineLoad.OneMinute(),
            };
            return [train, infer];
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
