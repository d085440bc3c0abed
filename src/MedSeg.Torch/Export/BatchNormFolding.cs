using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace MedSeg.Torch.Export;

/// <summary>
/// Folds every inference-mode BatchNormalization into the convolution whose output only it reads:
/// W' = W·γ/√(σ²+ε) per output channel, b' = (b − μ)·γ/√(σ²+ε) + β. The graph computes the same function with one
/// node (and one pass over the activations) less per pair; then drops initializers no node reads any more.
/// </summary>
internal static class BatchNormFolding
{
    public static void Apply(GraphProto graph)
    {
        var initializers = graph.Initializer.ToDictionary(t => t.Name);
        foreach (var (conv, norm) in FoldablePairs(graph, graph.Output.Select(o => o.Name)))
        {
            var epsilon = norm.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            var (gamma, beta, mean, variance) = (Floats(initializers[norm.Input[1]]), Floats(initializers[norm.Input[2]]),
                Floats(initializers[norm.Input[3]]), Floats(initializers[norm.Input[4]]));
            var weight = initializers[conv.Input[1]];
            var w = Floats(weight);
            var channels = gamma.Length;
            var bias = conv.Input.Count > 2 ? Floats(initializers[conv.Input[2]]) : new float[channels];
            var perChannel = w.Length / channels;
            var foldedBias = new float[channels];
            for (var c = 0; c < channels; c++)
            {
                var scale = gamma[c] / MathF.Sqrt(variance[c] + epsilon);
                for (var i = 0; i < perChannel; i++)
                {
                    w[c * perChannel + i] *= scale;
                }
                foldedBias[c] = (bias[c] - mean[c]) * scale + beta[c];
            }
            var foldedWeight = Add(graph, initializers, conv.Input[1] + ".bn_folded", weight.Dims, w);
            var foldedBiasName = Add(graph, initializers, conv.Input[1].Replace(".weight", "") + ".bias_bn_folded", [channels], foldedBias);
            var data = conv.Input[0];
            conv.Input.Clear();
            conv.Input.Add([data, foldedWeight, foldedBiasName]);
            conv.Output[0] = norm.Output[0];
            graph.Node.Remove(norm);
        }
        var read = graph.Node.SelectMany(n => n.Input).ToHashSet();
        foreach (var unused in graph.Initializer.Where(t => !read.Contains(t.Name)).ToList())
        {
            graph.Initializer.Remove(unused);
        }
    }

    /// <summary>
    /// The (Conv, BatchNormalization) node pairs where the BatchNorm is the only reader of the convolution's output
    /// (<paramref name="outputs"/>, the graph's results, count as readers) and both take their parameters from
    /// initializers: the pairs that can be folded. Also used to fold the same pairs on the module tree.
    /// </summary>
    public static IReadOnlyList<(NodeProto Conv, NodeProto Norm)> FoldablePairs(GraphProto graph, IEnumerable<string> outputs)
    {
        var initializers = graph.Initializer.Select(t => t.Name).ToHashSet();
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var readers = graph.Node.SelectMany(n => n.Input).Concat(outputs)
            .GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());
        return [.. graph.Node.Where(n => n.OpType == "BatchNormalization")
            .Select(norm => (Conv: producers.GetValueOrDefault(norm.Input[0]), Norm: norm))
            .Where(p => p.Conv is { OpType: "Conv" } && readers[p.Norm.Input[0]] == 1
                && p.Norm.Input.Skip(1).All(initializers.Contains) && p.Conv.Input.Skip(1).All(initializers.Contains))
            .Select(p => (p.Conv!, p.Norm))];
    }

    private static float[] Floats(TensorProto tensor) =>
        tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];

    private static string Add(GraphProto graph, Dictionary<string, TensorProto> initializers, string name, IEnumerable<long> dims, float[] values)
    {
        var unique = name;
        for (var i = 1; initializers.ContainsKey(unique); i++)
        {
            unique = $"{name}_{i}";
        }
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        graph.Initializer.Add(tensor);
        initializers[unique] = tensor;
        return unique;
    }
}
