using MedSeg.Torch.Export;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models.Capsules;

/// <summary>
/// Dynamic routing by agreement (Sabour et al. 2017) as convolutional capsule networks use it (LaLonde &amp; Bagci 2018,
/// Avesta et al. 2022): locally constrained, so every output position routes only the votes that its own kernel
/// window produced. Tensors are laid out capsule-type first: votes N×Ci×Co×Po×S (S = spatial axes), output
/// capsules N×Co×Po×S. All capsules and positions are routed at once with tensor operations; the iterations are
/// a fixed count, so the ONNX form unrolls them.
/// </summary>
public static class DynamicRouting
{
    /// <summary>Keeps the squash of an all-zero capsule finite (added under the square root of its squared length).</summary>
    public const double Epsilon = 1e-7;

    /// <summary>
    /// The pre-activation s (N×Co×Po×S) of the last of <paramref name="iterations"/> routing iterations: coupling
    /// coefficients c = softmax over output types of the logits b (0 at first, so c = 1/Co), s = Σᵢ cᵢ·votesᵢ + bias,
    /// v = squash(s), and between iterations b += ⟨votes, v⟩ over the pose axis.
    /// </summary>
    /// <param name="votes">N×Ci×Co×Po×S: each input capsule type's prediction of every output capsule.</param>
    /// <param name="bias">1×1×Co×Po×1…: one bias per output capsule type and pose component.</param>
    public static Tensor Preactivation(Tensor votes, Tensor bias, int iterations)
    {
        var outputs = votes.shape[2];
        var s = votes.sum(1, keepdim: true).div(outputs).add(bias);
        Tensor? logits = null;
        for (var i = 1; i < iterations; i++)
        {
            var agreement = votes.mul(Squash(s, 3)).sum(3, keepdim: true);
            logits = logits is null ? agreement : logits.add(agreement);
            s = logits.softmax(2).mul(votes).sum(1, keepdim: true).add(bias);
        }
        return s.squeeze(1);
    }

    /// <summary>squash(s) = |s|²/(1 + |s|²) · s/|s| along <paramref name="dim"/>: the direction kept, the length in [0, 1).</summary>
    public static Tensor Squash(Tensor s, long dim)
    {
        var squared = s.square().sum(dim, keepdim: true);
        return s.mul(squared).div(squared.add(1).mul(squared.add(Epsilon).sqrt()));
    }

    /// <summary><see cref="Preactivation"/> as ONNX nodes (the iterations unrolled); same layout and numbers.</summary>
    public static string PreactivationOnnx(OnnxGraph g, string votes, string bias, long outputs, int iterations)
    {
        var s = g.Add(g.Mul(ReduceSum(g, votes, 1), g.Scalar(1f / outputs)), bias);
        string? logits = null;
        for (var i = 1; i < iterations; i++)
        {
            var agreement = ReduceSum(g, g.Mul(votes, SquashOnnx(g, s, 3)), 3);
            logits = logits is null ? agreement : g.Add(logits, agreement);
            var coupling = g.Node("Softmax", [logits], ("axis", 2L));
            s = g.Add(ReduceSum(g, g.Mul(coupling, votes), 1), bias);
        }
        return g.Node("Squeeze", [s, g.Int64s(1)]);
    }

    /// <summary><see cref="Squash"/> as ONNX nodes.</summary>
    public static string SquashOnnx(OnnxGraph g, string s, long axis)
    {
        var squared = ReduceSum(g, g.Mul(s, s), axis);
        var norm = g.Node("Sqrt", [g.Add(squared, g.Scalar((float)Epsilon))]);
        return g.Node("Div", [g.Mul(s, squared), g.Mul(g.Add(squared, g.Scalar(1f)), norm)]);
    }

    /// <summary>ReduceSum over one axis, keeping it (opset 13+: axes as an input).</summary>
    public static string ReduceSum(OnnxGraph g, string x, long axis) => g.Node("ReduceSum", [x, g.Int64s(axis)], ("keepdims", 1L));
}
