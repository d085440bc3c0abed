using System.CommandLine;
using MedSeg.Core;
using MedSeg.Torch.Training;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg train</c>: trains one model and writes a run folder. Flags override <c>--config</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Dataset folder: UW-Madison layout (train.csv and train/), an nnU-Net raw dataset (dataset.json, imagesTr/, labelsTr/; its channels become input channels), preprocessed into RUN/preprocessed/ first, or a folder dataset (images/ and masks/ of class indices, or train/ and val/ each holding them; RGB or gray).", Required = true };
        var output = new Option<string?>("--out") { Description = "Run folder to create (must not exist or be empty)." };
        var resume = new Option<string?>("--resume") { Description = "Continue this run folder from its last finished epoch, with its saved config (only --max-minutes and --threads may change)." };
        var config = new Option<string?>("--config") { Description = "JSON file with any of the options below (snake_case keys); flags override it." };
        var mode = new Option<string?>("--mode") { Description = $"2d, 2.5d or 3d (a 3D network on patches) [default: {new TrainConfig().Mode}]." };
        var targetSpacing = new Option<string?>("--target-spacing") { Description = "3D on nnU-Net data: resample every volume to this voxel spacing DxHxW in mm (slice x row x column distance), for training and prediction [default: the dataset's median spacing]." };
        var shared = new TrainOptions();
        var command = new Command("train", "Train a segmentation model on a labelled dataset and write a run folder.")
        {
            data, output, config, mode, targetSpacing, resume,
        };
        foreach (var option in shared.All)
        {
            command.Options.Add(option);
        }
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
            c = shared.Apply(parsed, c) with { Mode = parsed.GetValue(mode) ?? c.Mode, TargetSpacing = parsed.GetValue(targetSpacing) ?? c.TargetSpacing };
            var events = ConsoleTrainingEvents.Create(Console.Out);
            TrainResult result;
            if (resumePath is not null)
            {
                var changed = parsed.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>()
                    .Select(o => o.Option.Name).Except(["--data", "--resume", "--max-minutes", "--threads"]).ToArray();
                if (changed.Length > 0)
                {
                    throw new MedSegException($"--resume continues a run with its saved config; drop {string.Join(", ", changed)} (only --max-minutes and --threads may change).");
                }
                result = Trainer.Resume(parsed.GetValue(data)!, resumePath, shared.MaxMinutes(parsed), events);
            }
            else
            {
                result = Trainer.Train(parsed.GetValue(data)!, c, runPath!, events);
            }
            Console.WriteLine(result.Summary);
        });
        return command;
    }
}
