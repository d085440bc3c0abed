using Google.Protobuf;
using MedSeg.Core;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;
using Onnx;
using static TorchSharp.torch;

namespace MedSeg.Torch.Export;

/// <summary>
/// Writes <see cref="SegmentationModel"/>s as one ONNX model (opset <see cref="Opset"/>): input <c>image</c>
/// (N×C×H×W or N×C×D×H×W, batch and spatial sizes dynamic unless the network needs them fixed) and output
/// <c>probabilities</c> (N×classes×same size: a sigmoid per class, or a softmax over classes for multiclass runs,
/// averaged over the members of an ensemble such as a run's folds). A single model also has <c>logits</c> and, with a
/// classification head, <c>class_logits</c> (N×classes). Weights are fp32 initializers named by their state-dict keys
/// (<c>fold_K.</c> before them in an ensemble), BatchNorm is folded into the convolutions, and the caller's metadata
/// (classes, preprocessing) goes to metadata_props. TorchSharp has no ONNX exporter: each module describes itself
/// (<see cref="IOnnxModule"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graphs use (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    /// <summary>The name of every graph's input.</summary>
    public const string Input = "image";

    /// <summary>The ONNX model of one network (as the ensemble overload).</summary>
    public static ModelProto Build(SegmentationModel model, IReadOnlyDictionary<string, string>? metadata = null, long[]? spatialSize = null, bool multiclass = false) =>
        Build([model], multiclass, metadata, spatialSize);

    /// <summary>The ONNX model of <paramref name="members"/> (put in eval mode; weights read as they are now).</summary>
    /// <param name="multiclass">True: a softmax over classes (folder runs); false: a sigmoid per class.</param>
    /// <param name="spatialSize">Fixed spatial input size, for networks that cannot take any size (null: dynamic).</param>
    public static ModelProto Build(IReadOnlyList<SegmentationModel> members, bool multiclass, IReadOnlyDictionary<string, string>? metadata = null, long[]? spatialSize = null)
    {
        var first = members[0];
        using var noGrad = no_grad();
        var (graph, outputs) = Describe(members, m => (m.SpatialDims, m.InChannels, m.Classes), spatialSize, (model, g) => model.ToOnnx(g, Input));
        var proto = graph.Proto;
        var spatialNames = first.SpatialDims == 2 ? new[] { "height", "width" } : ["depth", "height", "width"];
        var spatial = spatialSize is null ? spatialNames.Select(Dimension.Named).ToArray() : spatialSize.Select(Dimension.Fixed).ToArray();
        TensorShapeProto.Types.Dimension[] maskDims = [Dimension.Named("batch"), Dimension.Fixed(first.Classes), .. spatial];
        proto.Input.Add(ValueInfo(Input, [Dimension.Named("batch"), Dimension.Fixed(first.InChannels), .. spatial]));
        var probabilities = outputs.Select(o => multiclass ? graph.Node("Softmax", [o.Mask], ("axis", 1L)) : graph.Sigmoid(o.Mask)).ToArray();
        var mean = probabilities.Length == 1 ? probabilities[0] : graph.Node("Mean", probabilities);
        proto.Output.Add(Output(graph, mean, "probabilities", maskDims));
        if (members.Count == 1)
        {
            proto.Output.Add(Output(graph, outputs[0].Mask, "logits", maskDims));
            if (outputs[0].ClassLogits is { } classLogits)
            {
                proto.Output.Add(Output(graph, classLogits, "class_logits", [Dimension.Named("batch"), Dimension.Fixed(first.Classes)]));
            }
        }
        return Finish(graph, metadata);
    }

    /// <summary>
    /// The ONNX model of classification networks (the empty-slice gate, <c>--arch classifier</c>): input <c>image</c>
    /// N×C×H×W, output <c>probabilities</c> (N×classes, a sigmoid per class averaged over the members) and, for a
    /// single network, <c>logits</c>.
    /// </summary>
    /// <param name="spatialSize">Fixed spatial input size, for encoders that cannot take any size (null: dynamic).</param>
    public static ModelProto BuildClassifier(IReadOnlyList<ImageClassifier> members, IReadOnlyDictionary<string, string>? metadata = null, long[]? spatialSize = null)
    {
        var first = members[0];
        using var noGrad = no_grad();
        var (graph, logits) = Describe(members, m => (2, m.InChannels, m.Classes), spatialSize, (model, g) => g.Apply(model, Input));
        var proto = graph.Proto;
        var spatial = spatialSize is null ? new[] { "height", "width" }.Select(Dimension.Named).ToArray() : spatialSize.Select(Dimension.Fixed).ToArray();
        proto.Input.Add(ValueInfo(Input, [Dimension.Named("batch"), Dimension.Fixed(first.InChannels), .. spatial]));
        TensorShapeProto.Types.Dimension[] classDims = [Dimension.Named("batch"), Dimension.Fixed(first.Classes)];
        var probabilities = logits.Select(graph.Sigmoid).ToArray();
        proto.Output.Add(Output(graph, probabilities.Length == 1 ? probabilities[0] : graph.Node("Mean", probabilities), "probabilities", classDims));
        if (members.Count == 1)
        {
            proto.Output.Add(Output(graph, logits[0], "logits", classDims));
        }
        return Finish(graph, metadata);
    }

    /// <summary>
    /// A graph with every member's nodes on the input (<c>fold_K.</c> before their weights in an ensemble), each in
    /// eval mode, and their outputs; the members must agree on <paramref name="signature"/> (dimensions, channels, classes).
    /// </summary>
    private static (OnnxGraph Graph, TOutput[] Outputs) Describe<TModel, TOutput>(IReadOnlyList<TModel> members, Func<TModel, (int, int, int)> signature,
        long[]? spatialSize, Func<TModel, OnnxGraph, TOutput> describe) where TModel : nn.Module
    {
        if (members.Select(signature).Distinct().Count() > 1)
        {
            throw new MedSegException("the models of an ensemble must take the same input and give the same classes to be exported as one graph.");
        }
        var graph = new OnnxGraph(spatialSize);
        var outputs = members.Select((model, i) =>
        {
            model.eval();
            graph.AddModel(model, members.Count == 1 ? "" : $"fold_{i}.");
            return describe(model, graph);
        }).ToArray();
        graph.Proto.Name = members.Count == 1 ? members[0].GetName() : $"{members[0].GetName()} ensemble of {members.Count}";
        return (graph, outputs);
    }

    /// <summary>The model around a finished graph: BatchNorm folded, opset, producer and <paramref name="metadata"/>.</summary>
    private static ModelProto Finish(OnnxGraph graph, IReadOnlyDictionary<string, string>? metadata)
    {
        BatchNormFolding.Apply(graph.Proto);
        var onnx = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "MedSeg",
            ProducerVersion = VersionInfo.MedSeg,
            Graph = graph.Proto,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return onnx;
    }

    /// <summary>
    /// The ONNX model of <paramref name="members"/> for any input size when the networks allow it, else for
    /// <paramref name="fallbackSize"/> (Swin, UPerNet); <c>SpatialSize</c> says which (null: any size).
    /// </summary>
    public static (ModelProto Onnx, long[]? SpatialSize) BuildForAnySizeOr(long[] fallbackSize, IReadOnlyList<SegmentationModel> members,
        bool multiclass, IReadOnlyDictionary<string, string>? metadata = null) =>
        AnySizeOr(fallbackSize, size => Build(members, multiclass, metadata, size));

    /// <summary>As the segmentation overload, for classifiers (<see cref="BuildClassifier"/>).</summary>
    public static (ModelProto Onnx, long[]? SpatialSize) BuildForAnySizeOr(long[] fallbackSize, IReadOnlyList<ImageClassifier> members,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        AnySizeOr(fallbackSize, size => BuildClassifier(members, metadata, size));

    private static (ModelProto Onnx, long[]? SpatialSize) AnySizeOr(long[] fallbackSize, Func<long[]?, ModelProto> build)
    {
        try
        {
            return (build(null), null);
        }
        catch (FixedSizeRequiredException)
        {
            return (build(fallbackSize), fallbackSize);
        }
    }

    /// <summary>Writes <paramref name="onnx"/> to <paramref name="path"/> (temp file, then rename).</summary>
    public static void Write(ModelProto onnx, string path) =>
        AtomicFile.Write(path, temp =>
        {
            using var stream = File.Create(temp);
            onnx.WriteTo(stream);
        });

    private static ValueInfoProto Output(OnnxGraph graph, string value, string name, TensorShapeProto.Types.Dimension[] dims)
    {
        graph.Proto.Node.Add(new NodeProto { OpType = "Identity", Name = name + "_output", Input = { value }, Output = { name } });
        return ValueInfo(name, dims);
    }

    private static ValueInfoProto ValueInfo(string name, IEnumerable<TensorShapeProto.Types.Dimension> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.AddRange(dims);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static class Dimension
    {
        public static TensorShapeProto.Types.Dimension Named(string name) => new() { DimParam = name };

        public static TensorShapeProto.Types.Dimension Fixed(long size) => new() { DimValue = size };
    }
}
