using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using MedSeg.Torch.Export;

namespace MedSeg.Torch.Models.Decoders;

/// <summary>
/// smp's U-Net++ decoder: nested, densely connected skip pathways. Node <c>x_{d}_{l}</c> (depth d, layer l) upsamples
/// node <c>x_{d}_{l-1}</c> and fuses it with every deeper node of its resolution and the encoder feature there; the last
/// node <c>x_0_{depth}</c> brings the result to input size. Keys <c>blocks.x_{d}_{l}.conv1.0.weight</c>, ... Nodes whose
/// width would be zero (under an encoder without a stride-2 feature) are left out: they would carry no channels.
/// </summary>
public sealed class UnetPlusPlusDecoder : Module<Tensor[], Tensor>, IOnnxDecoder
{
    private readonly ModuleDict<DecoderBlock> blocks;
    private readonly int depth;

    /// <param name="encoderChannels">Encoder feature channels, input first (<see cref="Encoder.OutChannels"/>).</param>
    /// <param name="decoderChannels">Output channels of the nodes <c>x_0_l</c>, deepest first (smp default 256, 128, 64, 32, 16).</param>
    public UnetPlusPlusDecoder(IReadOnlyList<int> encoderChannels, IReadOnlyList<int> decoderChannels) : base(nameof(UnetPlusPlusDecoder))
    {
        var reversed = encoderChannels.Skip(1).Reverse().ToArray();
        int[] inChannels = [reversed[0], .. decoderChannels.Take(decoderChannels.Count - 1)];
        int[] skipChannels = [.. reversed.Skip(1), 0];
        depth = inChannels.Length - 1;
        blocks = new ModuleDict<DecoderBlock>();
        for (var layer = 0; layer < depth; layer++)
        {
            for (var d = 0; d <= layer; d++)
            {
                var (inCh, skipCh, outCh) = d == 0
                    ? (inChannels[layer], skipChannels[layer] * (layer + 1), decoderChannels[layer])
                    : (skipChannels[layer - 1], skipChannels[layer] * (layer + 1 - d), skipChannels[layer]);
                if (outCh > 0)
                {
                    blocks.Add((Key(d, layer), new DecoderBlock(inCh, skipCh, outCh)));
                }
            }
        }
        blocks.Add((Key(0, depth), new DecoderBlock(inChannels[^1], 0, decoderChannels[^1])));
        RegisterComponents();
    }

    private static string Key(int d, int layer) => $"x_{d}_{layer}";

    public override Tensor forward(Tensor[] encoderFeatures)
    {
        using var scope = NewDisposeScope();
        return Dense<Tensor>(encoderFeatures, (block, x, skip) => block.call(x, skip), Concatenated).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public string ToOnnx(OnnxGraph graph, IReadOnlyList<string> encoderFeatures) =>
        Dense<string>(encoderFeatures, (block, x, skip) => block.ToOnnx(graph, x, skip), parts =>
        {
            var present = parts.Where(p => p.Length > 0).ToArray();
            return present.Length == 0 ? null : graph.Concat(present);
        });

    /// <summary>
    /// The nested dense skip pathway, on tensors (<c>forward</c>) and on ONNX values alike: <paramref name="run"/> applies a
    /// node's block to its input and skip, <paramref name="concatenated"/> joins the skip parts that have channels (null
    /// when none has).
    /// </summary>
    private T Dense<T>(IReadOnlyList<T> encoderFeatures, Func<DecoderBlock, T, T?, T> run, Func<IEnumerable<T>, T?> concatenated)
        where T : class
    {
        var features = encoderFeatures.Skip(1).Reverse().ToArray();
        var dense = new Dictionary<string, T>();
        for (var layer = 0; layer < depth; layer++)
        {
            for (var d = 0; d < depth - layer; d++)
            {
                var l = d + layer;
                var key = Key(d, l);
                if (!blocks.ContainsKey(key))
                {
                    // A zero-width node: the encoder feature there has no channels either.
                    dense[key] = features[l + 1];
                    continue;
                }
                dense[key] = layer == 0
                    ? run(blocks[key], features[d], features[d + 1])
                    : run(blocks[key], dense[Key(d, l - 1)], concatenated(Enumerable.Range(d + 1, l - d).Select(i => dense[Key(i, l)]).Append(features[l + 1])));
            }
        }
        return run(blocks[Key(0, depth)], dense[Key(0, depth - 1)], null);
    }

    /// <summary>The channels-wise concatenation of the parts that have channels, or null when none has.</summary>
    private static Tensor? Concatenated(IEnumerable<Tensor> parts)
    {
        var nonEmpty = parts.Where(t => t.shape[1] > 0).ToArray();
        return nonEmpty.Length == 0 ? null : cat(nonEmpty, 1);
    }
}
