using Google.Protobuf;
using MedSeg.Core;
using MedSeg.Torch.Models;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Export;

/// <summary>
/// Writes a <see cref="SegmentationModel"/> as an ONNX model (opset <see cref="Opset"/>): input <c>image</c>
/// (N×C×H×W or N×C×D×H×W, batch and spatial sizes dynamic unless the network needs them fixed), output <c>logits</c>
/// (N×classes×same size) and, with a classification head, <c>class_logits</c> (N×classes); weights as fp32
/// initializers, BatchNorm folded into the convolutions, the caller's metadata (classes, preprocessing) as
/// metadata_props. TorchSharp has no ONNX exporter: each module describes itself (<see cref="IOnnxModule"/>).
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX operator set the graphs use (LayerNormalization needs 17).</summary>
    public const int Opset = 17;

    /// <summary>The ONNX model of <paramref name="model"/> (put in eval mode; weights read as they are now).</summary>
    /// <param name="spatialSize">Fixed spatial input size, for networks that cannot take any size (null: dynamic).</param>
    public static ModelProto Build(SegmentationModel model, IReadOnlyDictionary<string, string>? metadata = null, long[]? spatialSize = null)
    {
        model.eval();
        using var noGrad = no_grad();
        var graph = new OnnxGraph(model, spatialSize);
        const string input = "image";
        var (mask, classLogits) = model.ToOnnx(graph, input);
        var proto = graph.Proto;
        proto.Name = model.GetName();
        var spatialNames = model.SpatialDims == 2 ? new[] { "height", "width" } : ["depth", "height", "width"];
        var spatial = spatialSize is null ? spatialNames.Select(Dimension.Named) : spatialSize.Select(Dimension.Fixed);
        proto.Input.Add(ValueInfo(input, [Dimension.Named("batch"), Dimension.Fixed(model.InChannels), .. spatial]));
        proto.Output.Add(Output(graph, mask, "logits", [Dimension.Named("batch"), Dimension.Fixed(model.Classes),
            .. spatialSize is null ? spatialNames.Select(Dimension.Named) : spatialSize.Select(Dimension.Fixed)]));
        if (classLogits is not null)
        {
            proto.Output.Add(Output(graph, classLogits, "class_logits", [Dimension.Named("batch"), Dimension.Fixed(model.Classes)]));
        }
        BatchNormFolding.Apply(proto);
        var onnx = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "MedSeg",
            ProducerVersion = VersionInfo.MedSeg,
            Graph = proto,
        };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            onnx.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        return onnx;
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
