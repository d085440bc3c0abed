using System.CommandLine;
using MedSeg.Torch.Studies;
using MedSeg.Torch.Training;

namespace MedSeg.Cli.Commands;

/// <summary>
/// <c>medseg compare</c>: trains one run per mode (2D, 2.5D, 3D) — per architecture of <c>--archs</c> and training-set
/// size of <c>--train-sizes</c> — on the same split and compares their validation scores, Hausdorff distances,
/// convergence, training and inference time and peak memory. Flags override <c>--config</c>.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var defaults = new ModeComparisonOptions();
        var data = new Option<string>("--data") { Description = "Dataset folder: UW-Madison layout, or an nnU-Net raw dataset (preprocessed once into OUT/preprocessed/, shared by every mode).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to create (must not exist or be empty): one run folder per mode (MODE, MODE-ARCH with --archs, under cases-N with --train-sizes), compare.json, compare.md and report.html.", Required = true };
        var modes = new Option<string?>("--modes") { Description = $"Modes to compare, comma-separated [default: {string.Join(",", defaults.Modes)}]." };
        var config = new Option<string?>("--config") { Description = "JSON training config shared by every mode (snake_case keys, as for train); flags override it." };
        var arch3d = new Option<string?>("--arch-3d") { Description = $"3D network of the 3d mode (trained on --patch patches; --arch and --encoder are the 2d and 2.5d network) [default: {defaults.Arch3D}]." };
        var batchSize3d = new Option<int?>("--batch-size-3d") { Description = "Patches per step in the 3d mode [default: --batch-size]." };
        var archs = new Option<string?>("--archs") { Description = "Train every mode once per architecture, comma-separated: families unet (--arch unet with --encoder; --arch-3d) and capsnet (segcaps; capsnet3d), networks of medseg models for the modes of their kind (e.g. fpn), or pairs SLICE/VOLUME (e.g. fpn/segresnet) [default: --arch and --arch-3d]." };
        var trainSizes = new Option<string?>("--train-sizes") { Description = "Repeat the study on nested subsets of the fold's training cases (drawn from --seed), comma-separated percentages or case counts, e.g. 100%,50%,20% or 8,4,2; validation stays the fold's [default: every training case]." };
        var json = new JsonOutput("the result (the content of compare.json; progress then goes to stderr)");
        var shared = new TrainOptions();
        var command = new Command("compare", "2D vs 2.5D vs 3D study: train one run per mode on the same split, then compare Dice, Hausdorff, time per example per epoch, inference time and peak memory.")
        {
            data, output, modes, config, arch3d, batchSize3d, archs, trainSizes, json.Option,
        };
        foreach (var option in shared.All)
        {
            command.Options.Add(option);
        }
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(config);
            var network3D = parsed.GetValue(arch3d) ?? defaults.Arch3D;
            var options = new ModeComparisonOptions
            {
                Modes = parsed.GetValue(modes) is { } text ? ModeComparisonOptions.ParseModes(text) : defaults.Modes,
                Config = shared.Apply(parsed, path is null ? new TrainConfig() : TrainConfig.Load(path)),
                Arch3D = network3D,
                BatchSize3D = parsed.GetValue(batchSize3d),
                Architectures = parsed.GetValue(archs) is { } names ? StudyArchitecture.Parse(names, network3D) : null,
                TrainSizes = parsed.GetValue(trainSizes) is { } sizes ? TrainingSize.Parse(sizes) : null,
            };
            json.CheckTarget(parsed);
            var lines = json.Target(parsed) == "-" ? Console.Error : Console.Out;
            var result = ModeComparison.Run(parsed.GetValue(data)!, options, parsed.GetValue(output)!,
                ConsoleTrainingEvents.Create(lines));
            if (!json.Write(parsed, result.ToJsonText()))
            {
                Console.WriteLine(result.ToTable());
            }
        });
        return command;
    }
}
