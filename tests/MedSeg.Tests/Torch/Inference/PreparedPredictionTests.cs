using MedSeg.Core.Inference;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;
using Tensor = TorchSharp.torch.Tensor;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Inference;

/// <summary>
/// The prediction pipeline on prepared networks (<see cref="InferenceNetwork"/>, batched TTA views) against the previous
/// path (the run's network as loaded, one forward call per view) on a real tiny run: the same probabilities (within
/// 1e-4 where both compute in fp32, 0.05 where the prepared one computes in bf16) and label maps (in bf16 a
/// label may differ only where the probability lies within that 0.05 of the threshold); and batched views equal
/// to one call per view, quarter turns of a non-square input included.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class PreparedPredictionTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-prepared-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void PreparedEnsembleGivesThePreviousPathsProbabilitiesAndLabels()
    {
        var data = TrainerTests.Synthesise(root);
        var run = Path.Combine(root, "run");
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 3 }, run);
        var options = new PredictOptions(Tta: "all");
        var folder = RunFolder.Load(run);
        using var eager = folder.LoadModel(CPU);
        var previous = new SliceSegmenter([new EnsembleMember(eager, folder.Config, folder.Info.Classes, 1.0)], options, CPU);
        using var ensemble = LoadedEnsemble.Load([run], null, options, CPU);
        var prepared = Assert.IsType<InferenceNetwork>(ensemble.Members[0].Model);
        var segmenter = new SliceSegmenter(ensemble.Members, ensemble.Options, CPU);
        var tolerance = prepared.ComputeType == ScalarType.Float32 ? 1e-4 : 0.05;
        foreach (var caseDay in data.CaseDays.Take(2))
        {
            var want = previous.Probabilities(caseDay);
            var got = segmenter.Probabilities(caseDay);
            var worst = want.Zip(got, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
            Assert.True(worst <= tolerance, $"{caseDay.Id}: max |previous − prepared| probability {worst:g3} > {tolerance:g1}");
            var wantMasks = previous.Masks(caseDay, want);
            var gotMasks = segmenter.Masks(caseDay, got);
            var same = wantMasks.Zip(gotMasks, (a, b) => a.Zip(b, (x, y) => x == y ? 1.0 : 0.0).Sum()).Sum() / wantMasks.Sum(m => m.Length);
            Assert.True(same >= (prepared.ComputeType == ScalarType.Float32 ? 0.999 : 0.95), $"{caseDay.Id}: {same:P3} of label voxels agree");
            // Where the two computations differ by up to the tolerance, a label may flip only if the previous path's
            // probability lay within that tolerance of the class's threshold.
            for (var c = 0; c < wantMasks.Length; c++)
            {
                var threshold = segmenter.Thresholds[c];
                var far = Enumerable.Range(0, wantMasks[c].Length)
                    .Count(i => wantMasks[c][i] != gotMasks[c][i] && Math.Abs(want[c][i] - threshold) > tolerance);
                Assert.True(far == 0, $"{caseDay.Id}, class {c}: {far} label voxels differ where the probability is more than {tolerance:g1} from the threshold {threshold}");
            }
        }
    }

    [Fact]
    public void BatchedViewsEqualOneCallPerView()
    {
        random.manual_seed(3);
        using var network = new Conv(2, 3, 3, padding: 1);
        using var x = randn(2, 2, 6, 10);
        var views = TtaView.For("all", MedSeg.Core.Augmentations.AugmentationPipeline.Empty);
        var calls = 0;
        using var scope = NewDisposeScope();
        var batched = TtaView.Outputs(views, x, input =>
        {
            calls++;
            return network.call(input);
        });
        // Quarter turns of a 6×10 input are 10×6: two groups, two calls for eight views.
        Assert.Equal(2, calls);
        for (var v = 0; v < views.Count; v++)
        {
            var single = views[v].Invert(network.call(views[v].Apply(x)));
            Assert.True(single.allclose(batched[v], rtol: 1e-5, atol: 1e-6), $"view {views[v]}");
        }
    }
}
