using System.CommandLine;
using System.Text.Json;
using MedSeg.Torch;
using TorchSharp;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg info [--json]</c>: versions, threads and devices.</summary>
public static class InfoCommand
{
    public static Command Create()
    {
        var json = new JsonOutput("the information");
        var command = new Command("info", "Show versions (MedSeg, TorchSharp, libtorch), CPU threads and available devices.") { json.Option };
        command.SetAction(parsed =>
        {
            var devices = new List<string> { "cpu" };
            if (torch.cuda.is_available())
            {
                devices.Add($"cuda ({torch.cuda.device_count()} device(s))");
            }
            var info = new Dictionary<string, object>
            {
                ["medseg"] = VersionInfo.MedSeg,
                ["torchsharp"] = VersionInfo.TorchSharp,
                ["libtorch"] = VersionInfo.LibTorch,
                ["dotnet"] = Environment.Version.ToString(),
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["processors"] = Environment.ProcessorCount,
                ["threads"] = torch.get_num_threads(),
                ["devices"] = devices,
                ["scalar_lifetime_shim"] = MedSeg.Torch.Native.ScalarLifetimeShim.IsActive,
                ["onednn_guard"] = MedSeg.Torch.Native.OneDnnGuard.Reason ?? "off",
                ["cpu_convolutions"] = MedSeg.Torch.Native.CpuConvolutionTypes.Describe(),
                ["huge_page_allocations"] = MedSeg.Torch.Native.HugePageAllocations.State,
            };
            if (json.Write(parsed, JsonSerializer.Serialize(info)))
            {
                return;
            }
            foreach (var (key, value) in info)
            {
                Console.WriteLine($"{key,-20} {(value is List<string> list ? string.Join(", ", list) : value)}");
            }
        });
        return command;
    }
}
