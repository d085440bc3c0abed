using System.CommandLine;
using System.Text.Json;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg models [--json] [--in-channels C] [--classes K]</c>: every architecture × encoder with its parameter count.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var json = new JsonOutput("the list (models: arch, encoder, in_channels, classes, params)");
        var inChannels = new Option<int>("--in-channels") { Description = "Input channels of the listed models.", DefaultValueFactory = _ => 3 };
        var classes = new Option<int>("--classes") { Description = "Output classes of the listed models.", DefaultValueFactory = _ => 1 };
        var command = new Command("models",
            "List every architecture × encoder (default widths; 3 input channels and 1 class unless given) with its parameter count. "
            + $"Networks with their own encoder ({string.Join(", ", ModelFactory.EncoderFreeTwoDimensional)} in 2D; {string.Join(", ", ModelFactory.ThreeDimensional)} in 3D) are listed with encoder 'none'; "
            + "'classifier' is an encoder with a per-class presence head (the empty-slice gate).")
        {
            json.Option, inChannels, classes,
        };
        command.SetAction(parsed =>
        {
            json.CheckTarget(parsed);
            var rows = TrainingNetworks.Summaries(parsed.GetValue(inChannels), parsed.GetValue(classes));
            var models = rows.Select(r => new Dictionary<string, object>
            {
                ["arch"] = r.Arch, ["encoder"] = r.Encoder, ["in_channels"] = r.InChannels, ["classes"] = r.Classes, ["params"] = r.Params,
            });
            if (json.Write(parsed, JsonSerializer.Serialize(new Dictionary<string, object> { ["models"] = models })))
            {
                return;
            }
            Console.WriteLine($"{"arch",-15} {"encoder",-18} {"params",13}");
            foreach (var row in rows)
            {
                Console.WriteLine($"{row.Arch,-15} {row.Encoder,-18} {row.Params,13:N0}");
            }
        });
        return command;
    }
}
