namespace MedSeg.Torch.Export;

/// <summary>The ONNX spellings of the tensor operations MedSeg's forward passes use (PyTorch semantics).</summary>
public static class OnnxOps
{
    public static string Add(this OnnxGraph g, string a, string b) => g.Node("Add", [a, b]);

    public static string Mul(this OnnxGraph g, string a, string b) => g.Node("Mul", [a, b]);

    public static string Relu(this OnnxGraph g, string x) => g.Node("Relu", [x]);

    public static string Sigmoid(this OnnxGraph g, string x) => g.Node("Sigmoid", [x]);

    /// <summary>PyTorch's SiLU (x·σ(x)); ONNX opset 17 has no operator of its own for it.</summary>
    public static string Silu(this OnnxGraph g, string x) => g.Mul(x, g.Sigmoid(x));

    /// <summary>PyTorch's exact GELU, 0.5·x·(1 + erf(x/√2)) (an operator only from opset 20).</summary>
    public static string Gelu(this OnnxGraph g, string x)
    {
        var erf = g.Node("Erf", [g.Node("Div", [x, g.Scalar(MathF.Sqrt(2f))])]);
        return g.Mul(g.Mul(x, g.Scalar(0.5f)), g.Add(erf, g.Scalar(1f)));
    }

    /// <summary>torch.cat along <paramref name="axis"/>.</summary>
    public static string Concat(this OnnxGraph g, IEnumerable<string> values, long axis = 1) => g.Node("Concat", values, ("axis", axis));

    /// <summary>x.mean over every spatial axis: N×C×… → N×C.</summary>
    public static string GlobalAveragePoolFlat(this OnnxGraph g, string x) =>
        g.Node("Flatten", [g.Node("GlobalAveragePool", [x])], ("axis", 1L));

    /// <summary>torch.permute.</summary>
    public static string Transpose(this OnnxGraph g, string x, params long[] permutation) => g.Node("Transpose", [x], ("perm", permutation));

    /// <summary>torch.reshape to a shape of constants (0 keeps that dimension, -1 is inferred).</summary>
    public static string Reshape(this OnnxGraph g, string x, params long[] shape) => g.Node("Reshape", [x, g.Int64s(shape)]);

    /// <summary>x[start:end:step] along <paramref name="axis"/> (a static slice).</summary>
    public static string Slice(this OnnxGraph g, string x, long axis, long start, long end, long step = 1) =>
        g.Node("Slice", [x, g.Int64s(start), g.Int64s(end), g.Int64s(axis), g.Int64s(step)]);

    /// <summary>torch.roll by <paramref name="shift"/> along an axis of static length <paramref name="length"/>.</summary>
    public static string Roll(this OnnxGraph g, string x, long axis, long length, long shift)
    {
        var split = length - ((shift % length) + length) % length;
        return split == length ? x : g.Concat([g.Slice(x, axis, split, length), g.Slice(x, axis, 0, split)], axis);
    }

    /// <summary>Zero padding of the last two spatial axes of an N×H×W×C tensor by <paramref name="bottom"/> rows and <paramref name="right"/> columns.</summary>
    public static string PadBottomRight(this OnnxGraph g, string x, long bottom, long right) =>
        bottom + right == 0 ? x : g.Node("Pad", [x, g.Int64s(0, 0, 0, 0, 0, bottom, right, 0)]);

    /// <summary>The dimensions [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="x"/>'s shape, as an int64 vector.</summary>
    public static string ShapeSlice(this OnnxGraph g, string x, long start, long end = long.MaxValue) =>
        g.Node("Slice", [g.Node("Shape", [x]), g.Int64s(start), g.Int64s(end), g.Int64s(0)]);

    /// <summary>
    /// F.interpolate by a scale factor per spatial dimension: <paramref name="mode"/> "nearest" (PyTorch's floor
    /// sampling) or "linear" (bi/trilinear, corners aligned or PyTorch's half-pixel centres).
    /// </summary>
    public static string Resize(this OnnxGraph g, string x, double[] scales, string mode, bool alignCorners = false) =>
        g.Node("Resize", [x, "", g.FloatsConstant([1f, 1f, .. scales.Select(s => (float)s)])], ResizeAttributes(mode, alignCorners));

    /// <summary>F.interpolate to the spatial size of <paramref name="reference"/>.</summary>
    public static string ResizeLike(this OnnxGraph g, string x, string reference, string mode, bool alignCorners = false)
    {
        var sizes = g.Concat([g.ShapeSlice(x, 0, 2), g.ShapeSlice(reference, 2)], 0);
        return g.Node("Resize", [x, "", "", sizes], ResizeAttributes(mode, alignCorners));
    }

    private static (string, object)[] ResizeAttributes(string mode, bool alignCorners) => mode == "nearest"
        ? [("mode", "nearest"), ("coordinate_transformation_mode", "asymmetric"), ("nearest_mode", "floor")]
        : [("mode", "linear"), ("coordinate_transformation_mode", alignCorners ? "align_corners" : "pytorch_half_pixel")];

    private static string FloatsConstant(this OnnxGraph g, float[] values) => g.Node("Constant", [], ("value_floats", values));
}
