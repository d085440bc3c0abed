using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.Evaluation;
using MedSeg.Core.IO;
using MedSeg.Torch.Export;
using MedSeg.Torch.Inference;
using MedSeg.Torch.Training;
using TorchSharp;

namespace MedSeg.Tests.Torch;

/// <summary>The empty-slice gate: a classification run learns per-class presence and empties what it calls absent.
/// Sequential: libtorch's random generator is process-wide.</summary>
[Collection(nameof(SequentialCollection))]
public sealed class ClassifierRunTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"medseg-classifier-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void AClassifierRunBeatsCallingEverySliceOccupiedAndGatesPrediction()
    {
        var data = TrainerTests.Synthesise(root);
        var gateRun = Path.Combine(root, "gate");
        var result = Trainer.Train(data, TrainerTests.Tiny with { Arch = TrainingNetworks.Classifier, Epochs = 8, Loss = "bce" }, gateRun);

        // Calling every slice occupied scores F1 = 2·positives / (2·positives + negatives) per class.
        var gate = RunFolder.Load(gateRun);
        var validation = data.CaseDays.Where(c => gate.Info.ValidationCaseDays.Contains(c.Id)).ToArray();
        var occupied = Enumerable.Range(0, data.Classes.Count).Average(c =>
        {
            var (positives, slices) = (0, 0);
            foreach (var caseDay in validation)
            {
                var mask = CaseDayMasks.Truth(caseDay, data.Classes.Count)[c];
                var plane = caseDay.Slices[0].Height * caseDay.Slices[0].Width;
                positives += Enumerable.Range(0, caseDay.Slices.Count).Count(s => mask.AsSpan(s * plane, plane).ContainsAnyExcept((byte)0));
                slices += caseDay.Slices.Count;
            }
            return 2.0 * positives / (positives + slices);
        });
        Assert.True(result.BestScore > occupied + 0.05, $"presence F1 {result.BestScore:F3} should beat calling every slice occupied ({occupied:F3})");
        var oof = Path.Combine(gateRun, RunFolder.OutOfFoldFolder);
        var first = validation[0];
        Assert.Equal(data.Classes.Count, ProbabilityMaps.Read(oof, first.Id, data.Classes.Count, first.Slices.Count, 1, 1).Length);

        var segmentation = Path.Combine(root, "seg");
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 1 }, segmentation);
        var csv = Path.Combine(root, "gated.csv");
        SubmissionPredictor.Predict([segmentation], null, data.Root, csv, new PredictOptions(Thresholds: [0.0], ValidatedPostProcess: "none"), "cpu", gateRun: gateRun);

        // Threshold 0 marks every pixel, so a slice-class is empty exactly where the gate called it absent.
        using var model = gate.LoadModel(torch.CPU);
        var member = new EnsembleMember(model, gate.Config, gate.Info.Classes, 1.0);
        var rows = SubmissionCsv.Read(csv).ToDictionary(r => (r.Id, r.ClassName), r => r.Rle);
        var (kept, emptied) = (0, 0);
        foreach (var caseDay in data.CaseDays)
        {
            var presence = SlicePresence.Probabilities(member, caseDay, 8, torch.CPU);
            for (var s = 0; s < caseDay.Slices.Count; s++)
            {
                for (var c = 0; c < data.Classes.Count; c++)
                {
                    var present = presence[c][s] >= gate.Config.Threshold;
                    Assert.Equal(present, rows[(caseDay.Slices[s].Id.ToString(), data.Classes[c])] != "");
                    (kept, emptied) = present ? (kept + 1, emptied) : (kept, emptied + 1);
                }
            }
        }
        Assert.True(kept > 0 && emptied > 0, $"the gate kept {kept} and emptied {emptied} slice-classes; both should happen");

        // The gate on ONNX Runtime (--backend onnx: exported like any run) decides the same slices.
        var onnxCsv = Path.Combine(root, "gated-onnx.csv");
        SubmissionPredictor.Predict([segmentation], null, data.Root, onnxCsv, new PredictOptions(Thresholds: [0.0], Backend: "onnx", ValidatedPostProcess: "none"), "cpu", gateRun: gateRun);
        Assert.Equal(File.ReadAllText(csv), File.ReadAllText(onnxCsv));
        var exported = Path.Combine(root, "gate.onnx");
        RunExport.Write(gateRun, exported);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(exported);
        Assert.Equal("classification", session.ModelMetadata.CustomMetadataMap["task"]);
        Assert.Equal([-1, data.Classes.Count], session.OutputMetadata["probabilities"].Dimensions);
    }

    [Fact]
    public void AClassificationRunIsRefusedAsAModelAndASegmentationRunAsAGate()
    {
        var data = TrainerTests.Synthesise(root);
        var gateRun = Path.Combine(root, "gate");
        Trainer.Train(data, TrainerTests.Tiny with { Arch = TrainingNetworks.Classifier, Epochs = 1 }, gateRun);
        var segmentation = Path.Combine(root, "seg");
        Trainer.Train(data, TrainerTests.Tiny with { Epochs = 1 }, segmentation);

        var asModel = Assert.Throws<MedSegException>(() =>
            SubmissionPredictor.Predict([gateRun], null, data.Root, Path.Combine(root, "a.csv"), new PredictOptions(), "cpu"));
        Assert.Contains("--gate", asModel.Message);
        var asGate = Assert.Throws<MedSegException>(() =>
            SubmissionPredictor.Predict([segmentation], null, data.Root, Path.Combine(root, "b.csv"), new PredictOptions(), "cpu", gateRun: segmentation));
        Assert.Contains("is a segmentation run", asGate.Message);
        Assert.False(File.Exists(Path.Combine(root, "a.csv")) || File.Exists(Path.Combine(root, "b.csv")));
    }
}
