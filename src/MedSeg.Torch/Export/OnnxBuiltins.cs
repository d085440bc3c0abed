using MedSeg.Torch.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Export;

/// <summary>ONNX descriptions of the TorchSharp layers MedSeg's networks are made of (inference mode).</summary>
internal static class OnnxBuiltins
{
    public static string Apply(OnnxGraph g, nn.Module<Tensor, Tensor> module, string x) => module switch
    {
        Sequential sequential => sequential.children().Aggregate(x, (value, child) => g.Apply(Layer(g, child), value)),
        Identity or Dropout or Dropout2d or Dropout3d => x,
        ReLU => g.Relu(x),
        SiLU => g.Silu(x),
        Sigmoid => g.Sigmoid(x),
        GELU { approximate: GELU.Approximate.none } => g.Gelu(x),
        LeakyReLU leaky => g.Node("LeakyRelu", [x], ("alpha", leaky.negative_slope)),
        ELU elu => g.Node("Elu", [x], ("alpha", elu.alpha)),
        Flatten { start_dim: 1, end_dim: -1 } => g.Node("Flatten", [x], ("axis", 1L)),
        Linear linear => Linear(g, linear, x),
        LayerNorm norm => LayerNorm(g, norm, x),
        BatchNorm norm => BatchNorm(g, norm, x),
        MaxPool2d pool => MaxPool(g, pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode, x),
        MaxPool3d pool => MaxPool(g, pool.kernel_size, pool.stride, pool.padding, pool.dilation, pool.ceil_mode, x),
        AdaptiveAvgPool2d pool when pool.output_size.All(s => s == 1) => g.Node("GlobalAveragePool", [x]),
        AdaptiveAvgPool3d pool when pool.output_size.All(s => s == 1) => g.Node("GlobalAveragePool", [x]),
        Upsample upsample when upsample.scale_factor.Length > 0 && upsample.mode is UpsampleMode.Nearest or UpsampleMode.Bilinear or UpsampleMode.Trilinear =>
            g.Resize(x, upsample.scale_factor.ToArray(), upsample.mode == UpsampleMode.Nearest ? "nearest" : "linear", upsample.align_corners ?? false),
        _ => throw g.Unsupported(module, "this layer"),
    };

    private static nn.Module<Tensor, Tensor> Layer(OnnxGraph g, nn.Module child) =>
        child as nn.Module<Tensor, Tensor> ?? throw g.Unsupported(child, "this Sequential member");

    /// <summary>nn.Linear on the last dimension of an input of any rank: MatMul by the transposed weight, then the bias.</summary>
    private static string Linear(OnnxGraph g, Linear linear, string x)
    {
        using var scope = NewDisposeScope();
        var y = g.Node("MatMul", [x, g.Initializer($"{g.PathOf(linear)}.weight_t", linear.weight!.t())]);
        return linear.bias is null ? y : g.Add(y, g.Weight(linear, "bias", linear.bias));
    }

    private static string LayerNorm(OnnxGraph g, LayerNorm norm, string x)
    {
        if (norm.weight is null || norm.bias is null)
        {
            throw g.Unsupported(norm, "a LayerNorm without affine parameters");
        }
        return g.Node("LayerNormalization", [x, g.Weight(norm, "weight", norm.weight), g.Weight(norm, "bias", norm.bias)],
            ("axis", (long)-norm.normalized_shape.Length), ("epsilon", norm.eps));
    }

    /// <summary>Inference-mode batch norm (running statistics); <see cref="BatchNormFolding"/> folds it into the convolution before it.</summary>
    private static string BatchNorm(OnnxGraph g, BatchNorm norm, string x)
    {
        if (norm.weight is null || norm.bias is null || norm.running_mean is null || norm.running_var is null)
        {
            throw g.Unsupported(norm, "a BatchNorm without affine parameters or running statistics");
        }
        return g.Node("BatchNormalization",
            [x, g.Weight(norm, "weight", norm.weight), g.Weight(norm, "bias", norm.bias), g.Weight(norm, "running_mean", norm.running_mean), g.Weight(norm, "running_var", norm.running_var)],
            ("epsilon", norm.eps));
    }

    private static string MaxPool(OnnxGraph g, long[] kernel, long[]? stride, long[]? padding, long[]? dilation, bool ceilMode, string x)
    {
        var pads = padding ?? new long[kernel.Length];
        return g.Node("MaxPool", [x], ("kernel_shape", kernel), ("strides", stride ?? kernel), ("pads", (long[])[.. pads, .. pads]),
            ("dilations", dilation ?? [.. kernel.Select(_ => 1L)]), ("ceil_mode", ceilMode ? 1L : 0L));
    }
}
