using MedSeg.Core;

namespace MedSeg.Torch.Export;

/// <summary>A network's ONNX form depends on the input size (adaptive pooling grids, Swin windows) and none was fixed.</summary>
public sealed class FixedSizeRequiredException(string message) : MedSegException(message);
