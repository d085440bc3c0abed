using MedSeg.Core.Inference;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>The sliding-window weights of <see cref="Core.Inference.ImportanceMap"/> as a tensor.</summary>
public static class ImportanceMapTensor
{
    /// <summary>The D×H×W map (float32, CPU) for a window of <paramref name="size"/> (D, H, W).</summary>
    public static Tensor Create(IReadOnlyList<int> size, WindowBlend blend) =>
        tensor(Core.Inference.ImportanceMap.Weights(size, blend), [size[0], size[1], size[2]]);
}
