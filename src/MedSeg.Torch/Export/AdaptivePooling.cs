using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Export;

/// <summary>
/// PyTorch's adaptive average pooling to a bins×bins grid, which ONNX lacks, for a fixed input size: bin i averages
/// rows ⌊i·H/bins⌋ … ⌈(i+1)·H/bins⌉−1, so pooling is P_H · X · P_Wᵀ with P a bins×H averaging matrix.
/// </summary>
public static class AdaptivePooling
{
    public static string ToOnnx(OnnxGraph graph, nn.Module owner, string input, long height, long width, long bins)
    {
        using var scope = NewDisposeScope();
        var rows = graph.Initializer($"{graph.PathOf(owner)}.pool{bins}_rows", Matrix(height, bins));
        var columns = graph.Initializer($"{graph.PathOf(owner)}.pool{bins}_columns", Matrix(width, bins).t());
        var pooledColumns = graph.Node("MatMul", [input, columns]);
        return graph.Node("MatMul", [rows, pooledColumns]);
    }

    /// <summary>The bins×size matrix whose row i averages the inputs of bin i.</summary>
    private static Tensor Matrix(long size, long bins)
    {
        var matrix = zeros(bins, size);
        for (var i = 0; i < bins; i++)
        {
            var start = i * size / bins;
            var end = ((i + 1) * size + bins - 1) / bins;
            matrix[i, TensorIndex.Slice(start, end)] = tensor(1f / (end - start));
        }
        return matrix;
    }
}
