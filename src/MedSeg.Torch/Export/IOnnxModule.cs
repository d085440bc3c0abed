using TorchSharp;

namespace MedSeg.Torch.Export;

/// <summary>A module that describes its (inference-mode) forward pass as ONNX nodes.</summary>
public interface IOnnxModule
{
    /// <summary>Adds the nodes computing this module on <paramref name="input"/> to <paramref name="graph"/>; returns the output value.</summary>
    string ToOnnx(OnnxGraph graph, string input);
}
