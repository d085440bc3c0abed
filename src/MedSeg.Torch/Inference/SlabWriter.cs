using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// Receives the finished K×count×H×W predictions of depths [<paramref name="start"/>, start + count) of a volume;
/// <paramref name="predictions"/> is disposed after the call, so copy out what is kept.
/// </summary>
public delegate void SlabWriter(int start, Tensor predictions);
