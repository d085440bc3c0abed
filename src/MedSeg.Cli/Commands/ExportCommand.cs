using System.CommandLine;
using MedSeg.Torch.Export;

namespace MedSeg.Cli.Commands;

/// <summary><c>medseg export --model RUN --out FILE.onnx</c>: the run's network(s) as one ONNX graph.</summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Run folder written by 'medseg train' (a --fold all run exports its folds as one averaged graph).", Required = true };
        var output = new Option<string>("--out") { Description = "File to create (must not exist): *.onnx for the ONNX graph, *.zip for a model bundle (run files, ONNX graph, fingerprint, model card, SHA-256 manifest; predict --model takes it).", Required = true };
        var data = new Option<string?>("--data") { Description = "Bundles: the dataset the run was trained on, fingerprinted into the bundle (sizes, spacings, intensity range)." };
        var command = new Command("export",
            "Write a trained run as an ONNX model (opset 17): input 'image' (N×C×H×W, or N×C×D×H×W for 3D runs), outputs 'probabilities' "
            + "(sigmoid per class, or softmax for folder runs; averaged over folds) and, for one model, 'logits'. Classes, normalisation "
            + "and input layout are stored as metadata. Runs with ONNX Runtime or any other ONNX runtime, without libtorch.")
        {
            model, output, data,
        };
        command.SetAction(parsed =>
        {
            var result = RunExport.Write(parsed.GetValue(model)!, parsed.GetValue(output)!, parsed.GetValue(data));
            var models = result.Models == 1 ? "1 model" : $"{result.Models} models (averaged)";
            Console.WriteLine($"export: {result.Path} — {result.Arch}/{result.Encoder}, {models}, input size {result.InputSize}, {result.Bytes / 1e6:F1} MB");
        });
        return command;
    }
}
