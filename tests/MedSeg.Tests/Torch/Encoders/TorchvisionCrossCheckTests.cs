using MedSeg.Torch.Models.Encoders;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// Independent reference: torchvision builds each classifier with random weights (and randomised BatchNorm
/// statistics and layer scales, so evaluation mode exercises them) and saves its state dict, an input and its
/// logits; the MedSeg classifier loads that state dict strictly and must give the same logits. Swin runs on a
/// 64×96 input, so window padding, shift masks and non-square windows are compared too.
/// </summary>
public sealed class TorchvisionCrossCheckTests : IDisposable
{
    private const string Script = """
        import sys, torch, torchvision
        torch.manual_seed(0)
        for tag, name, h, w in [(t.split(':')[0], t.split(':')[1], int(t.split(':')[2]), int(t.split(':')[3])) for t in sys.argv[2:]]:
            model = getattr(torchvision.models, name)()
            with torch.no_grad():
                for m in model.modules():
                    if isinstance(m, torch.nn.BatchNorm2d):
                        m.running_mean.uniform_(-0.5, 0.5); m.running_var.uniform_(0.5, 1.5)
                        m.weight.uniform_(0.5, 1.5); m.bias.uniform_(-0.2, 0.2)
                    if hasattr(m, "layer_scale"):
                        m.layer_scale.uniform_(0.5, 1.0)
            model.eval()
            x = torch.randn(2, 3, h, w)
            with torch.no_grad():
                y = model(x)
            torch.save(model.state_dict(), f"{sys.argv[1]}/{tag}.pt")
            torch.save({"x": x, "y": y}, f"{sys.argv[1]}/{tag}.io.pt")
        """;

    /// <summary>
    /// MedSeg encoder name, torchvision builder, input height and width: the two families with the most intricate
    /// forward passes (each case writes and reads its whole state dict, up to ~110 MB, so the list stays short).
    /// </summary>
    private static readonly (string Encoder, string Torchvision, int Height, int Width)[] Cases =
    [
        ("efficientnet-b0", "efficientnet_b0", 64, 64),
        ("swin_t", "swin_t", 64, 96),
    ];

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"medseg-torchvision-{Guid.NewGuid():N}");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [TorchvisionFact]
    public void LogitsEqualTorchvisionWithItsWeights()
    {
        TorchvisionReference.Run(Script, folder, Cases.Select(c => $"{c.Encoder}:{c.Torchvision}:{c.Height}:{c.Width}"));

        foreach (var (encoder, _, _, _) in Cases)
        {
            using var scope = NewDisposeScope();
            using var model = new ImageClassifier(encoder);
            model.load_py(Path.Combine(folder, $"{encoder}.pt"), strict: true);
            model.eval();
            var io = PyTorchUnpickler.UnpickleStateDict(Path.Combine(folder, $"{encoder}.io.pt"));
            var (x, expected) = ((Tensor)io["x"]!, (Tensor)io["y"]!);
            using var noGrad = no_grad();
            var difference = (model.call(x) - expected).abs().max().item<float>();
            var tolerance = 1e-4f * Math.Max(1f, expected.abs().max().item<float>());
            Assert.True(difference <= tolerance, $"{encoder}: max |MedSeg − torchvision| = {difference} > {tolerance}");
        }
    }
}
