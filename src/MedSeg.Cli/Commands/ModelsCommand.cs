using System.CommandLine;
using System.Text.Json;
using MedSeg.Torch.Models;
using TorchSharp;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg models [--json]</c>: every architecture × encoder with its parameter count.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("models", "List every architecture × encoder (default configuration: 3 input channels, 1 class) with its parameter count.") { json };
        command.SetAction(parsed =>
        {
            var rows = new List<Dictionary<string, object>>();
            foreach (var (arch, encoders) in ModelFactory.Architectures)
            {
                foreach (var encoder in encoders)
                {
                    using var model = ModelFactory.Create(arch, encoder, 3, 1);
                    var parameters = model.parameters().Sum(p => p.numel());
                    rows.Add(new() { ["arch"] = arch, ["encoder"] = encoder, ["in_channels"] = 3, ["classes"] = 1, ["params"] = parameters });
                }
            }
            if (parsed.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["models"] = rows }));
                return;
            }
            Console.WriteLine($"{"arch",-8} {"encoder",-12} {"params",12}");
            foreach (var row in rows)
            {
                Console.WriteLine($"{row["arch"],-8} {row["encoder"],-12} {row["params"],12:N0}");
            }
        });
        return command;
    }
}
