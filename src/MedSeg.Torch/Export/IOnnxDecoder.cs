namespace MedSeg.Torch.Export;

/// <summary>A decoder (encoder features in, one tensor out) that describes its forward pass as ONNX nodes.</summary>
public interface IOnnxDecoder
{
    /// <summary>Adds the nodes fusing <paramref name="features"/> (largest first, as the encoder returns them); returns the output value.</summary>
    string ToOnnx(OnnxGraph graph, IReadOnlyList<string> features);
}
