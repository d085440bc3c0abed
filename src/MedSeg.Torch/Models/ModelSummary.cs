namespace MedSeg.Torch.Models;

/// <summary>One architecture × encoder pair and its parameter count (a row of <c>medseg models</c>).</summary>
public sealed record ModelSummary(string Arch, string Encoder, int InChannels, int Classes, long Params);
