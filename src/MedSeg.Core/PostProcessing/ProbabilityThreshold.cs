namespace MedSeg.Core.PostProcessing;

/// <summary>From per-class probability maps to cleaned 0/1 masks: the last step of every prediction.</summary>
public static class ProbabilityThreshold
{
    /// <summary>
    /// Thresholds per-class probabilities (each D×H×W) into 0/1 masks: a class is dropped from a slice whose highest
    /// probability is below <paramref name="floor"/> or where <paramref name="present"/> (a gate's decision, [class][slice])
    /// says the class is absent, then <paramref name="postProcess"/> cleans each class mask (<see cref="PostProcessOptions.ForClass"/>).
    /// </summary>
    public static byte[][] Apply(float[][] probabilities, int depth, int height, int width, IReadOnlyList<double> thresholds,
        double? floor, PostProcessOptions postProcess, IReadOnlyList<bool[]>? present = null)
    {
        var plane = height * width;
        var masks = new byte[probabilities.Length][];
        for (var c = 0; c < probabilities.Length; c++)
        {
            masks[c] = new byte[probabilities[c].Length];
            var threshold = (float)thresholds[c];
            for (var s = 0; s < depth; s++)
            {
                var source = probabilities[c].AsSpan(s * plane, plane);
                if ((present is not null && !present[c][s]) || (floor is { } f && Max(source) < f))
                {
                    continue;
                }
                var target = masks[c].AsSpan(s * plane, plane);
                for (var p = 0; p < plane; p++)
                {
                    target[p] = source[p] > threshold ? (byte)1 : (byte)0;
                }
            }
            postProcess.ForClass(c).Apply(masks[c], depth, height, width);
        }
        return masks;
    }

    /// <summary>
    /// One threshold per class: <paramref name="given"/> (one value for all, or one per class), or the run's
    /// <paramref name="runDefault"/> for every class when none is given.
    /// </summary>
    /// <exception cref="MedSegException">The count fits neither one value nor the classes.</exception>
    public static IReadOnlyList<double> PerClass(IReadOnlyList<double>? given, double runDefault, IReadOnlyList<string> classes) => given switch
    {
        null => Enumerable.Repeat(runDefault, classes.Count).ToArray(),
        { Count: 1 } one => Enumerable.Repeat(one[0], classes.Count).ToArray(),
        var perClass when perClass.Count == classes.Count => perClass,
        var other => throw new MedSegException(
            $"--threshold has {other.Count} values for {classes.Count} classes ({string.Join(", ", classes)}); give one value or one per class."),
    };

    private static float Max(ReadOnlySpan<float> values)
    {
        var max = float.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }
        return max;
    }

}
