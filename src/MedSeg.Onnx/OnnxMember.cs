namespace MedSeg.Onnx;

/// <summary>A model of an ensemble and its weight in the probability average.</summary>
public sealed record OnnxMember(OnnxModel Model, double Weight);
