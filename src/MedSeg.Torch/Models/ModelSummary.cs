using MedSeg.Core;

namespace MedSeg.Torch.Models;

/// <summary>One architecture × encoder pair and its parameter count (a row of <c>medseg models</c>).</summary>
public sealed record ModelSummary(string Arch, string Encoder, int InChannels, int Classes, long Params)
{
    /// <summary>Throws a <see cref="MedSegException"/> naming the option when a network could not be built for these counts.</summary>
    public static void Check(int inChannels, int classes)
    {
        if (inChannels < 1)
        {
            throw new MedSegException($"--in-channels {inChannels} is not a channel count; give 1 or more (1 for grayscale, 3 for RGB).");
        }
        if (classes < 1)
        {
            throw new MedSegException($"--classes {classes} is not a class count; give 1 or more.");
        }
    }
}
