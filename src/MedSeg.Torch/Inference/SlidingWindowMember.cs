using MedSeg.Core.Inference;
using MedSeg.Core.Data;
using MedSeg.Core.Preprocessing;
using MedSeg.Torch.Data;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// The per-class probabilities of a 3D run on a whole case-day: the case-day volume (slices at their own size,
/// normalised as in training) through a <see cref="SlidingWindowInferer"/> whose window is the run's training patch,
/// sigmoid per class, averaged over the test-time views (<see cref="TtaView"/>: flips and quarter turns of each slice plane).
/// </summary>
public static class SlidingWindowMember
{
    /// <summary>Adds <paramref name="scale"/> × the member's probabilities of <paramref name="caseDay"/> to <paramref name="probabilities"/> (per class, D×H×W).</summary>
    public static void Add(EnsembleMember member, UwCaseDay caseDay, float[][] probabilities, float scale, SlidingWindowInferer inferer,
        IReadOnlyList<TtaView> views, Device device)
    {
        var shape = CaseDayVolume.Shape(caseDay);
        var plane = shape.PlaneSize;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var precision = Autocast.BFloat16(member.Config.Precision == "bf16");
        var normalisation = IntensityNormalisation.Parse(member.Config.Normalisation);
        var volume = tensor(CaseDayVolume.Image(caseDay, normalisation), [caseDay.Channels, shape.Depth, shape.Height, shape.Width]);
        Tensor Predict(Tensor x)
        {
            var sum = TtaView.Outputs(views, x, member.Model.call).Select(output => output.sigmoid()).Aggregate((a, b) => a + b);
            return views.Count == 1 ? sum : sum / views.Count;
        }
        inferer.Infer(shape.Depth, shape.Height, shape.Width, (start, count) => volume.narrow(1, start, count).to(device), Predict, (start, slab) =>
        {
            var values = slab.cpu().contiguous().data<float>().ToArray();
            var count = (int)slab.shape[1];
            for (var c = 0; c < probabilities.Length; c++)
            {
                var source = values.AsSpan(c * count * plane, count * plane);
                var target = probabilities[c].AsSpan(start * plane, count * plane);
                for (var p = 0; p < source.Length; p++)
                {
                    target[p] += scale * source[p];
                }
            }
        });
    }
}
