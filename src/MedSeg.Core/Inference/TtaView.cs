using MedSeg.Core.Augmentations;

namespace MedSeg.Core.Inference;

/// <summary>
/// One test-time view of a 2D input: an optional horizontal flip, then <see cref="Rotations"/> quarter turns
/// (counter-clockwise in the H×W plane). <see cref="Apply"/> maps the input into the view and <see cref="Invert"/>
/// maps the network's output back (on float planes here; on tensors in MedSeg.Torch's <c>TtaViewTensors</c>), so the views' probabilities can be averaged pixel by pixel. A vertical flip is
/// the horizontal flip followed by two quarter turns.
/// </summary>
public readonly record struct TtaView(bool Flip, int Rotations)
{
    public static readonly TtaView Identity = new(false, 0);

    /// <summary>The <c>--tta</c> choices (see <see cref="For(string, AugmentationPipeline)"/>).</summary>
    public static readonly string[] Choices = ["auto", "none", "flip", "rot90", "all"];

    /// <summary>
    /// <paramref name="count"/> planes of <paramref name="height"/>×<paramref name="width"/> (row-major, one after the
    /// other, e.g. N×C×H×W) seen through this view; a quarter turn swaps the planes' sides. As torch's
    /// <c>flip(-1)</c> then <c>rot90(Rotations, (-2, -1))</c>.
    /// </summary>
    public float[] Apply(float[] planes, int count, int height, int width)
    {
        var result = Flip ? Mirrored(planes, count, height, width) : planes;
        for (var r = 0; r < Rotations; r++)
        {
            result = QuarterTurn(result, count, height, width);
            (height, width) = (width, height);
        }
        return result;
    }

    /// <summary>Planes of an output of the viewed input (their size as the view made it) mapped back onto the original's grid of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public float[] Invert(float[] planes, int count, int height, int width)
    {
        // Viewed planes are width×height after an odd number of quarter turns; three more turns undo one.
        var (h, w) = Rotations % 2 == 0 ? (height, width) : (width, height);
        var result = planes;
        for (var r = 0; r < (4 - Rotations) % 4; r++)
        {
            result = QuarterTurn(result, count, h, w);
            (h, w) = (w, h);
        }
        return Flip ? Mirrored(result, count, height, width) : result;
    }

    /// <summary>Every plane mirrored left-right (torch's <c>flip(-1)</c>).</summary>
    private static float[] Mirrored(float[] planes, int count, int height, int width)
    {
        var result = new float[planes.Length];
        for (var row = 0; row < count * height; row++)
        {
            var source = planes.AsSpan(row * width, width);
            var target = result.AsSpan(row * width, width);
            for (var x = 0; x < width; x++)
            {
                target[x] = source[width - 1 - x];
            }
        }
        return result;
    }

    /// <summary>Every plane turned a quarter counter-clockwise (torch's <c>rot90(1, (-2, -1))</c>: out[i, j] = in[j, width − 1 − i], width×height).</summary>
    private static float[] QuarterTurn(float[] planes, int count, int height, int width)
    {
        var result = new float[planes.Length];
        var plane = height * width;
        for (var n = 0; n < count; n++)
        {
            var source = planes.AsSpan(n * plane, plane);
            var target = result.AsSpan(n * plane, plane);
            for (var i = 0; i < width; i++)
            {
                for (var j = 0; j < height; j++)
                {
                    target[i * height + j] = source[j * width + width - 1 - i];
                }
            }
        }
        return result;
    }

    /// <summary>The view <see cref="ToString"/> writes (<c>identity</c>, <c>flip</c>, <c>rot90</c>, <c>flip+rot180</c>, …), e.g. from an exported model's metadata.</summary>
    public static TtaView Parse(string text)
    {
        var name = text.Trim();
        var flip = name.StartsWith("flip", StringComparison.Ordinal);
        var turn = flip ? name["flip".Length..].TrimStart('+') : name == "identity" ? "" : name;
        if (turn.Length == 0)
        {
            return new TtaView(flip, 0);
        }
        return turn is "rot90" or "rot180" or "rot270"
            ? new TtaView(flip, int.Parse(turn[3..], System.Globalization.CultureInfo.InvariantCulture) / 90)
            : throw new MedSegException($"'{text}' is not a test-time view; write identity, flip, rot90, rot180, rot270 or flip+rotN.");
    }

    /// <summary>
    /// The views of a <c>--tta</c> choice: <c>none</c> (identity), <c>flip</c> (+ horizontal flip), <c>rot90</c>
    /// (the four quarter turns), <c>all</c> (the eight flips and turns), or <c>auto</c>: only what the run was
    /// trained with (<paramref name="trained"/>'s flip axes and quarter turns) — on lateralised anatomy a flipped
    /// image is a different image, and averaging with it destroys the prediction.
    /// </summary>
    public static IReadOnlyList<TtaView> For(string choice, AugmentationPipeline trained) => For(choice, choice == "auto" ? Auto(trained) : [Identity]);

    /// <summary>As the other overload, with the views of <c>auto</c> given (<paramref name="trained"/>, e.g. read from an exported model's metadata).</summary>
    public static IReadOnlyList<TtaView> For(string choice, IReadOnlyList<TtaView> trained)
    {
        IEnumerable<TtaView> turns = [Identity, new(false, 1), new(false, 2), new(false, 3)];
        return choice switch
        {
            "none" => [Identity],
            "flip" => [Identity, new(true, 0)],
            "rot90" => [.. turns],
            "all" => [.. turns, .. turns.Select(t => t with { Flip = true })],
            "auto" => trained,
            _ => throw new MedSegException($"--tta {choice} is unknown; valid: {string.Join(", ", Choices)}."),
        };
    }

    /// <summary>
    /// A warning when a forced <c>--tta</c> <paramref name="choice"/> averages over views that <paramref name="run"/> was
    /// not trained with (e.g. a left-right flip of a run without <c>--mirror-axes h</c>), which it still uses; null when
    /// every view was trained (always for <c>auto</c> and <c>none</c>).
    /// </summary>
    public static string? UntrainedWarning(string choice, AugmentationPipeline trained, string run) => UntrainedWarning(choice, Auto(trained), run);

    /// <summary>As the other overload, with the views of <c>auto</c> given (<paramref name="trained"/>).</summary>
    public static string? UntrainedWarning(string choice, IReadOnlyList<TtaView> trained, string run)
    {
        var untrained = For(choice, trained).Except(trained).ToArray();
        return untrained.Length == 0 ? null
            : $"warning: --tta {choice}: {run} was not trained with the view{(untrained.Length == 1 ? "" : "s")} {string.Join(", ", untrained)}, "
                + "so they average in images it never saw (on lateralised anatomy a mirrored image is a different one); --tta auto uses only the trained ones";
    }

    /// <summary>How the view is written in messages: <c>identity</c>, <c>flip</c>, <c>rot90</c>, <c>flip+rot180</c>, ….</summary>
    public override string ToString() =>
        (Flip, Rotations) switch
        {
            (false, 0) => "identity",
            (true, 0) => "flip",
            (false, var r) => $"rot{90 * r}",
            (true, var r) => $"flip+rot{90 * r}",
        };

    /// <summary>The views a run trained with <paramref name="trained"/> is averaged over under <c>--tta auto</c>.</summary>
    public static IReadOnlyList<TtaView> Auto(AugmentationPipeline trained)
    {
        var rotated = trained.Transforms.OfType<RandomRotate90>().Any(t => t.Probability > 0);
        var horizontal = trained.FlipAxes.Contains(FlipAxis.Horizontal);
        var vertical = trained.FlipAxes.Contains(FlipAxis.Vertical);
        if (rotated)
        {
            return For(horizontal || vertical ? "all" : "rot90", trained);
        }
        var views = new List<TtaView> { Identity };
        if (horizontal)
        {
            views.Add(new TtaView(true, 0));
        }
        if (vertical)
        {
            views.Add(new TtaView(true, 2));
        }
        return views;
    }
}
