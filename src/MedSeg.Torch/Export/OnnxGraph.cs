using Google.Protobuf;
using MedSeg.Core;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Export;

/// <summary>
/// Builds an ONNX graph from a module tree: each MedSeg module describes its forward pass as ONNX nodes
/// (<see cref="IOnnxModule"/>), TorchSharp's own layers are described by <see cref="OnnxBuiltins"/>. Values are named
/// by the nodes that make them; weights become initializers named by their state-dict keys (<c>encoder.conv1.weight</c>),
/// so the ONNX file and the safetensors of a run name the same tensors the same way.
/// </summary>
public sealed class OnnxGraph
{
    private readonly GraphProto graph = new();
    private readonly Dictionary<nn.Module, string> paths = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> names = [];
    private readonly Dictionary<string, (nn.Module Module, string Name)> weightOwners = [];
    private int counter;

    /// <param name="spatialSize">The fixed spatial input size (null: dynamic; see <see cref="RequireSpatialSize"/>).</param>
    public OnnxGraph(long[]? spatialSize = null)
    {
        SpatialSize = spatialSize;
    }

    /// <summary>
    /// Names the initializers of <paramref name="root"/>'s modules by their state-dict paths after <paramref name="prefix"/>
    /// (empty for a single model, <c>fold_K.</c> for ensemble members).
    /// </summary>
    public void AddModel(nn.Module root, string prefix = "")
    {
        paths[root] = prefix.TrimEnd('.');
        foreach (var (name, module) in root.named_modules())
        {
            paths.TryAdd(module, prefix + name);
        }
    }

    /// <summary>The fixed spatial size of the model's input, or null for a graph that takes any size.</summary>
    public long[]? SpatialSize { get; }

    /// <summary>
    /// The fixed input size, for a module whose ONNX form depends on it (adaptive pooling to a grid, Swin's windows);
    /// fails naming the module when the export was asked for dynamic sizes.
    /// </summary>
    public long[] RequireSpatialSize(nn.Module module, string why) => SpatialSize ?? throw new FixedSizeRequiredException(
        $"cannot export '{PathOf(module)}' ({module.GetType().Name}) with a dynamic input size: {why}; export it for one input size (--size).");

    /// <summary>The graph built so far.</summary>
    public GraphProto Proto => graph;

    /// <summary>The nodes of <paramref name="module"/>'s forward pass on <paramref name="input"/>; returns its output value.</summary>
    public string Apply(nn.IModule<Tensor, Tensor> module, string input) => module switch
    {
        IOnnxModule described => described.ToOnnx(this, input),
        nn.Module<Tensor, Tensor> layer => OnnxBuiltins.Apply(this, layer, input),
        _ => throw new MedSegException($"cannot export a {module.GetType().Name} to ONNX: it has no ONNX mapping yet."),
    };

    /// <summary>The state-dict path of <paramref name="module"/> (for messages and initializer names).</summary>
    public string PathOf(nn.Module module) => paths.TryGetValue(module, out var path) ? path : module.GetName();

    /// <summary>An fp32 initializer holding <paramref name="module"/>'s tensor <paramref name="name"/> (e.g. <c>weight</c>).</summary>
    public string Weight(nn.Module module, string name, Tensor value)
    {
        var path = PathOf(module);
        var initializer = Initializer(path.Length == 0 ? name : $"{path}.{name}", value);
        weightOwners[initializer] = (module, name);
        return initializer;
    }

    /// <summary>
    /// Which module's tensor each <see cref="Weight"/> initializer holds (a module described twice, e.g. one called in
    /// two places, owns two initializers), so a rewrite found on the graph can be applied to the module tree.
    /// </summary>
    public IReadOnlyDictionary<string, (nn.Module Module, string Name)> WeightOwners => weightOwners;

    /// <summary>An fp32 initializer computed at export time (a folded or reshaped weight), named after <paramref name="name"/>.</summary>
    public string Initializer(string name, Tensor value)
    {
        var unique = Unique(name);
        using var scope = NewDisposeScope();
        var data = value.detach().to(ScalarType.Float32).cpu().contiguous();
        var tensor = new TensorProto { Name = unique, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(data.shape);
        tensor.RawData = ByteString.CopyFrom(data.bytes);
        graph.Initializer.Add(tensor);
        return unique;
    }

    /// <summary>A constant int64 vector (shapes, axes, pads, slice bounds).</summary>
    public string Int64s(params long[] values)
    {
        var name = Unique("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A constant fp32 scalar.</summary>
    public string Scalar(float value)
    {
        var name = Unique("const");
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>
    /// One node of <paramref name="op"/> on <paramref name="inputs"/> (an empty string is an omitted optional input);
    /// attributes are (name, value) with value a long, long[], float, float[] or string. Returns the output's name.
    /// </summary>
    public string Node(string op, IEnumerable<string> inputs, params (string Name, object Value)[] attributes) =>
        NodeWithOutputs(op, inputs, 1, attributes)[0];

    /// <summary>As <see cref="Node"/>, for an operator with <paramref name="outputs"/> outputs.</summary>
    public string[] NodeWithOutputs(string op, IEnumerable<string> inputs, int outputs, params (string Name, object Value)[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Unique(op) };
        node.Input.AddRange(inputs);
        for (var i = 0; i < outputs; i++)
        {
            node.Output.Add(outputs == 1 ? node.Name : $"{node.Name}_{i}");
        }
        foreach (var (name, value) in attributes)
        {
            node.Attribute.Add(Attribute(name, value));
        }
        graph.Node.Add(node);
        return [.. node.Output];
    }

    /// <summary>Fails the export naming the module that has no ONNX description (never a partial file).</summary>
    public MedSegException Unsupported(nn.Module module, string what) =>
        new($"cannot export {what} at '{PathOf(module)}' ({module.GetType().Name}) to ONNX: it has no ONNX mapping yet.");

    private string Unique(string name)
    {
        var candidate = name;
        while (!names.Add(candidate))
        {
            candidate = $"{name}_{++counter}";
        }
        return candidate;
    }

    private static AttributeProto Attribute(string name, object value)
    {
        var attribute = new AttributeProto { Name = name };
        switch (value)
        {
            case long i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case int i:
                attribute.Type = AttributeProto.Types.AttributeType.Int;
                attribute.I = i;
                break;
            case long[] ints:
                attribute.Type = AttributeProto.Types.AttributeType.Ints;
                attribute.Ints.AddRange(ints);
                break;
            case float f:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = f;
                break;
            case double d:
                attribute.Type = AttributeProto.Types.AttributeType.Float;
                attribute.F = (float)d;
                break;
            case float[] floats:
                attribute.Type = AttributeProto.Types.AttributeType.Floats;
                attribute.Floats.AddRange(floats);
                break;
            case string s:
                attribute.Type = AttributeProto.Types.AttributeType.String;
                attribute.S = ByteString.CopyFromUtf8(s);
                break;
            default:
                throw new ArgumentException($"attribute {name}: unsupported value type {value.GetType().Name}", nameof(value));
        }
        return attribute;
    }
}
