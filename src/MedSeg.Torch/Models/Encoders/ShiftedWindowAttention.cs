using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// torchvision's Swin <c>ShiftedWindowAttention</c> (v1): multi-head self-attention inside non-overlapping windows of
/// an N×H×W×C tensor, with a learned relative position bias and, in every other block, windows cyclically shifted by
/// half a window with a mask between regions that the shift made adjacent. The input is padded to whole windows and
/// cropped back, so any size works; the shift is off along a side that fits in one window. Keys: <c>qkv</c>,
/// <c>proj</c>, <c>relative_position_bias_table</c> and the buffer <c>relative_position_index</c>.
/// </summary>
public sealed class ShiftedWindowAttention : Module<Tensor, Tensor>
{
    private readonly Module<Tensor, Tensor> qkv;
    private readonly Module<Tensor, Tensor> proj;
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly int window;
    private readonly int shift;
    private readonly long heads;

    /// <param name="dim">Channels.</param>
    /// <param name="window">Window side (7 for swin_t).</param>
    /// <param name="shift">Cyclic shift (0, or half the window).</param>
    /// <param name="heads">Attention heads.</param>
    public ShiftedWindowAttention(long dim, int window, int shift, long heads) : base(nameof(ShiftedWindowAttention))
    {
        this.window = window;
        this.shift = shift;
        this.heads = heads;
        qkv = Linear(dim, dim * 3);
        proj = Linear(dim, dim);
        relative_position_bias_table = new Parameter(zeros((2 * window - 1) * (2 * window - 1), heads));
        TorchvisionInit.TruncatedNormal(relative_position_bias_table);
        relative_position_index = RelativePositionIndex(window);
        RegisterComponents();
    }

    /// <summary>For each (query, key) pair of a window's tokens, the row of their offset in the bias table.</summary>
    private static Tensor RelativePositionIndex(int window)
    {
        var n = window * window;
        var index = new long[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var dy = i / window - j / window + window - 1;
                var dx = i % window - j % window + window - 1;
                index[i * n + j] = dy * (2 * window - 1) + dx;
            }
        }
        return tensor(index);
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (b, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var padB = (window - h % window) % window;
        var padR = (window - w % window) % window;
        var y = F.pad(x, [0, 0, 0, padR, 0, padB]);
        var (ph, pw) = (h + padB, w + padR);
        var shiftH = window >= ph ? 0 : shift;
        var shiftW = window >= pw ? 0 : shift;
        var shifted = shiftH + shiftW > 0;
        if (shifted)
        {
            y = y.roll([-shiftH, -shiftW], [1, 2]);
        }

        var (nh, nw) = (ph / window, pw / window);
        var windows = nh * nw;
        var tokens = window * window;
        y = y.reshape(b, nh, window, nw, window, c).permute(0, 1, 3, 2, 4, 5).reshape(b * windows, tokens, c);
        var qkvs = qkv.call(y).reshape(b * windows, tokens, 3, heads, c / heads).permute(2, 0, 3, 1, 4);
        var (q, k, v) = (qkvs[0], qkvs[1], qkvs[2]);
        var attention = (q * Math.Pow(c / heads, -0.5)).matmul(k.transpose(-2, -1));
        var bias = relative_position_bias_table.index_select(0, relative_position_index)
            .view(tokens, tokens, -1).permute(2, 0, 1).unsqueeze(0);
        attention = attention + bias;
        if (shifted)
        {
            // In the attention's type: an fp32 mask would promote a bf16 network's attention (InferenceNetwork) to fp32.
            var mask = ShiftMask(ph, pw, shiftH, shiftW, x.device).to(attention.dtype);
            attention = (attention.view(b, windows, heads, tokens, tokens) + mask.unsqueeze(1).unsqueeze(0))
                .view(-1, heads, tokens, tokens);
        }
        attention = F.softmax(attention, -1);
        y = attention.matmul(v).transpose(1, 2).reshape(b * windows, tokens, c);
        y = proj.call(y);

        y = y.view(b, nh, nw, window, window, c).permute(0, 1, 3, 2, 4, 5).reshape(b, ph, pw, c);
        if (shifted)
        {
            y = y.roll([shiftH, shiftW], [1, 2]);
        }
        return y[.., ..(int)h, ..(int)w, ..].contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The windows × tokens × tokens additive mask (0 or −100) that keeps shifted windows from attending across the
    /// regions the cyclic shift brought together: tokens attend only to tokens of the same region.
    /// </summary>
    private Tensor ShiftMask(long ph, long pw, long shiftH, long shiftW, Device device)
    {
        var regions = new float[ph * pw];
        for (var i = 0; i < ph; i++)
        {
            for (var j = 0; j < pw; j++)
            {
                regions[i * pw + j] = Region(i, ph, shiftH) * 3 + Region(j, pw, shiftW);
            }
        }
        var tokens = window * window;
        var labels = tensor(regions, device: device)
            .view(ph / window, window, pw / window, window).permute(0, 2, 1, 3).reshape(-1, tokens);
        var difference = labels.unsqueeze(1) - labels.unsqueeze(2);
        return zeros_like(difference).masked_fill(difference.ne(0), -100f);
    }

    /// <summary>Region 0, 1 or 2 of a coordinate along a side of padded length <paramref name="size"/> shifted by <paramref name="shiftBy"/>.</summary>
    private long Region(long coordinate, long size, long shiftBy) =>
        shiftBy == 0 ? 0 : coordinate < size - window ? 0 : coordinate < size - shiftBy ? 1 : 2;

    /// <summary>
    /// As <c>forward</c>, as ONNX nodes, on an N×<paramref name="height"/>×<paramref name="width"/>×C input: the
    /// padding, shifts, window layout, relative position bias and shift mask are fixed by the size, so they are
    /// computed here once and stored as constants.
    /// </summary>
    public string ToOnnx(OnnxGraph graph, string input, long height, long width)
    {
        using var scope = NewDisposeScope();
        var c = ((Linear)proj).in_features;
        var padB = (window - height % window) % window;
        var padR = (window - width % window) % window;
        var (ph, pw) = (height + padB, width + padR);
        var shiftH = window >= ph ? 0 : shift;
        var shiftW = window >= pw ? 0 : shift;
        var shifted = shiftH + shiftW > 0;
        var y = graph.PadBottomRight(input, padB, padR);
        if (shifted)
        {
            y = graph.Roll(graph.Roll(y, 1, ph, -shiftH), 2, pw, -shiftW);
        }
        var (nh, nw) = (ph / window, pw / window);
        var windows = nh * nw;
        var tokens = (long)window * window;
        y = graph.Reshape(graph.Transpose(graph.Reshape(y, -1, nh, window, nw, window, c), 0, 1, 3, 2, 4, 5), -1, tokens, c);
        var qkvs = graph.Transpose(graph.Reshape(graph.Apply(qkv, y), -1, tokens, 3, heads, c / heads), 2, 0, 3, 1, 4);
        var parts = graph.NodeWithOutputs("Split", [qkvs], 3, ("axis", 0L)).Select(p => graph.Node("Squeeze", [p, graph.Int64s(0)])).ToArray();
        var attention = graph.Node("MatMul", [graph.Mul(parts[0], graph.Scalar((float)Math.Pow(c / heads, -0.5))), graph.Transpose(parts[1], 0, 1, 3, 2)]);
        var bias = relative_position_bias_table.index_select(0, relative_position_index).view(tokens, tokens, -1).permute(2, 0, 1).unsqueeze(0);
        attention = graph.Add(attention, graph.Initializer($"{graph.PathOf(this)}.relative_position_bias", bias));
        if (shifted)
        {
            var mask = ShiftMask(ph, pw, shiftH, shiftW, CPU).unsqueeze(1).unsqueeze(0);
            attention = graph.Add(graph.Reshape(attention, -1, windows, heads, tokens, tokens), graph.Initializer($"{graph.PathOf(this)}.shift_mask", mask));
            attention = graph.Reshape(attention, -1, heads, tokens, tokens);
        }
        attention = graph.Node("Softmax", [attention], ("axis", -1L));
        y = graph.Reshape(graph.Transpose(graph.Node("MatMul", [attention, parts[2]]), 0, 2, 1, 3), -1, tokens, c);
        y = graph.Apply(proj, y);
        y = graph.Reshape(graph.Transpose(graph.Reshape(y, -1, nh, nw, window, window, c), 0, 1, 3, 2, 4, 5), -1, ph, pw, c);
        if (shifted)
        {
            y = graph.Roll(graph.Roll(y, 1, ph, shiftH), 2, pw, shiftW);
        }
        return padB + padR == 0 ? y : graph.Slice(graph.Slice(y, 1, 0, height), 2, 0, width);
    }
}
