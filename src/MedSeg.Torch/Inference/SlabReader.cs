using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>Returns the C×<paramref name="count"/>×H×W input voxels (float32) of depths [<paramref name="start"/>, start + count) of a volume.</summary>
public delegate Tensor SlabReader(int start, int count);
