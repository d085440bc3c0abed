namespace MedSeg.Core.Inference;

/// <summary>
/// Mutually exclusive classes (folder datasets) on float arrays laid out class-major (classes×pixels): the softmax
/// over the classes of each pixel and the label map of the most probable class, as libtorch's <c>softmax(1)</c> and
/// <c>argmax(1)</c> compute them (the lowest class wins a tie).
/// </summary>
public static class ExclusiveClasses
{
    /// <summary>Turns <paramref name="logits"/> (classes×pixels) into probabilities in place.</summary>
    public static void Softmax(Span<float> logits, int classes, int pixels)
    {
        for (var p = 0; p < pixels; p++)
        {
            var max = float.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                max = MathF.Max(max, logits[c * pixels + p]);
            }
            var sum = 0f;
            for (var c = 0; c < classes; c++)
            {
                var e = MathF.Exp(logits[c * pixels + p] - max);
                logits[c * pixels + p] = e;
                sum += e;
            }
            for (var c = 0; c < classes; c++)
            {
                logits[c * pixels + p] /= sum;
            }
        }
    }

    /// <summary>Per pixel, the class with the highest of <paramref name="scores"/> (classes×pixels).</summary>
    public static ushort[] Argmax(ReadOnlySpan<float> scores, int classes, int pixels)
    {
        var labels = new ushort[pixels];
        for (var p = 0; p < pixels; p++)
        {
            var best = scores[p];
            for (var c = 1; c < classes; c++)
            {
                if (scores[c * pixels + p] > best)
                {
                    best = scores[c * pixels + p];
                    labels[p] = (ushort)c;
                }
            }
        }
        return labels;
    }
}
