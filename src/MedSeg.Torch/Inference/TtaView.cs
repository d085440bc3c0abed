using MedSeg.Core;
using MedSeg.Core.Augmentations;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// One test-time view of a 2D input: an optional horizontal flip, then <see cref="Rotations"/> quarter turns
/// (counter-clockwise in the H×W plane). <see cref="Apply"/> maps the input into the view and <see cref="Invert"/>
/// maps the network's output back, so the views' probabilities can be averaged pixel by pixel. A vertical flip is
/// the horizontal flip followed by two quarter turns.
/// </summary>
public readonly record struct TtaView(bool Flip, int Rotations)
{
    public static readonly TtaView Identity = new(false, 0);

    /// <summary>The <c>--tta</c> choices: see <see cref="PredictOptions"/>.</summary>
    public static readonly string[] Choices = ["auto", "none", "flip", "rot90", "all"];

    /// <summary>The input <paramref name="x"/> (…×H×W) seen through this view.</summary>
    public Tensor Apply(Tensor x)
    {
        var flipped = Flip ? x.flip(-1) : x;
        return Rotations == 0 ? flipped : flipped.rot90(Rotations, (-2, -1));
    }

    /// <summary>An output of the viewed input mapped back onto the original's pixel grid.</summary>
    public Tensor Invert(Tensor y)
    {
        var turned = Rotations == 0 ? y : y.rot90(-Rotations, (-2, -1));
        return Flip ? turned.flip(-1) : turned;
    }

    /// <summary>
    /// The network's output on every view of <paramref name="x"/> (N×C×…×H×W), each mapped back onto x's grid, in the
    /// order of <paramref name="views"/>. The views go through <paramref name="network"/> batched: all views whose inputs
    /// have the same shape stacked into one forward call (a quarter turn of a non-square input is its own group), which
    /// gives the network larger batches and fewer calls than one call per view.
    /// </summary>
    public static Tensor[] Outputs(IReadOnlyList<TtaView> views, Tensor x, Func<Tensor, Tensor> network)
    {
        var viewed = views.Select(v => v.Apply(x)).ToArray();
        var outputs = new Tensor[views.Count];
        foreach (var group in Enumerable.Range(0, views.Count).GroupBy(i => string.Join("x", viewed[i].shape)))
        {
            var members = group.ToArray();
            var y = network(members.Length == 1 ? viewed[members[0]] : cat([.. members.Select(i => viewed[i])], 0));
            var parts = members.Length == 1 ? [y] : y.split(x.shape[0]);
            for (var k = 0; k < members.Length; k++)
            {
                outputs[members[k]] = views[members[k]].Invert(parts[k]);
            }
        }
        return outputs;
    }

    /// <summary>
    /// The views of a <c>--tta</c> choice: <c>none</c> (identity), <c>flip</c> (+ horizontal flip), <c>rot90</c>
    /// (the four quarter turns), <c>all</c> (the eight flips and turns), or <c>auto</c>: only what the run was
    /// trained with (<paramref name="trained"/>'s flip axes and quarter turns) — on lateralised anatomy a flipped
    /// image is a different image, and averaging with it destroys the prediction.
    /// </summary>
    public static IReadOnlyList<TtaView> For(string choice, AugmentationPipeline trained)
    {
        IEnumerable<TtaView> turns = [Identity, new(false, 1), new(false, 2), new(false, 3)];
        return choice switch
        {
            "none" => [Identity],
            "flip" => [Identity, new(true, 0)],
            "rot90" => [.. turns],
            "all" => [.. turns, .. turns.Select(t => t with { Flip = true })],
            "auto" => Auto(trained),
            _ => throw new MedSegException($"--tta {choice} is unknown; valid: {string.Join(", ", Choices)}."),
        };
    }

    /// <summary>
    /// A warning when a forced <c>--tta</c> <paramref name="choice"/> averages over views that <paramref name="run"/> was
    /// not trained with (e.g. a left-right flip of a run without <c>--mirror-axes h</c>), which it still uses; null when
    /// every view was trained (always for <c>auto</c> and <c>none</c>).
    /// </summary>
    public static string? UntrainedWarning(string choice, AugmentationPipeline trained, string run)
    {
        var untrained = For(choice, trained).Except(Auto(trained)).ToArray();
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

    private static IReadOnlyList<TtaView> Auto(AugmentationPipeline trained)
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
