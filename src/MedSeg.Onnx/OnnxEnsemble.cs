using MedSeg.Core;
using MedSeg.Core.Inference;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Tuning;

namespace MedSeg.Onnx;

/// <summary>
/// The models of one libtorch-free prediction, one per <c>--model</c> with its weight, checked to predict the same
/// classes, and the settings MedSeg.Torch's <c>LoadedEnsemble</c> fills in the same way: thresholds (given, else the
/// first bundle's tuned ones, else its run's), post-processing (the first bundle's validated decision under
/// <c>--postprocess auto</c>) and each member's test-time views. Disposing releases the networks.
/// </summary>
public sealed class OnnxEnsemble : IDisposable
{
    private OnnxEnsemble(IReadOnlyList<OnnxMember> members, PredictOptions options)
    {
        Members = members;
        var first = members[0].Model;
        Classes = EnsembleClasses.Common(members.Select(m => m.Model.Classes));
        var runs = new[] { first.RunFolder ?? first.Path };
        var tuned = first.RunFolder is { } run && TunedSettings.Read(run) is { } settings ? (settings.Thresholds, settings.MinPixels) : default;
        var (given, postProcess, decision) = ValidationPostProcessing.Fill(options.Thresholds, options.PostProcess, options.ValidatedPostProcess, runs, tuned);
        Thresholds = ProbabilityThreshold.PerClass(given, first.Threshold, Classes);
        Options = options with { Thresholds = given, PostProcess = postProcess };
        Views = [.. members.Select(m => TtaView.For(options.Tta, m.Model.TrainedViews))];
        Warnings = [.. members.Select(m => TtaView.UntrainedWarning(options.Tta, m.Model.TrainedViews, m.Model.Path)).OfType<string>()];
        PostProcessingNote = ValidationPostProcessing.Describe(options.ValidatedPostProcess, decision, runs);
    }

    public IReadOnlyList<OnnxMember> Members { get; }

    /// <summary>The classes every member predicts.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The prediction options with the tuned thresholds and the validated post-processing filled in.</summary>
    public PredictOptions Options { get; }

    /// <summary>Foreground probability threshold per class.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>The post-processing applied to every class mask.</summary>
    public PostProcessOptions PostProcess => Options.PostProcess ?? PostProcessOptions.None;

    /// <summary>Per member, the test-time views averaged.</summary>
    public IReadOnlyList<IReadOnlyList<TtaView>> Views { get; }

    /// <summary>What the user should hear before prediction starts: a forced <c>--tta</c> view a run was not trained with.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>What post-processing decided on validation is applied, and why (<see cref="ValidationPostProcessing.Describe"/>).</summary>
    public string PostProcessingNote { get; }

    /// <summary>Opens <paramref name="models"/> (bundles or .onnx files) with one weight each (<paramref name="weights"/>; null = equal).</summary>
    /// <param name="multiclass">True for data of exclusive classes (folder datasets): every model must be a softmax run trained on such data; false: none may be.</param>
    /// <exception cref="MedSegException">No model, a weight count or sum that does not fit, a model that cannot be opened or is of the other kind, or classes that differ.</exception>
    public static OnnxEnsemble Open(IReadOnlyList<string> models, IReadOnlyList<double>? weights, PredictOptions options, bool multiclass = false)
    {
        if (models.Count == 0)
        {
            throw new MedSegException("no model given; pass at least one --model BUNDLE.zip or MODEL.onnx.");
        }
        EnsembleWeights.CheckCount(weights, models.Count);
        if (weights is not null)
        {
            EnsembleWeights.CheckSum(weights.Sum());
        }
        var members = new List<OnnxMember>();
        try
        {
            foreach (var (path, i) in models.Select((p, i) => (p, i)))
            {
                members.Add(new OnnxMember(OnnxModel.Open(path), weights?[i] ?? 1.0));
                EnsembleClasses.CheckKind(path, members[^1].Model.Multiclass, members[^1].Model.Intensity, multiclass);
            }
            return new OnnxEnsemble(members, options);
        }
        catch
        {
            members.ForEach(m => m.Model.Dispose());
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var member in Members)
        {
            member.Model.Dispose();
        }
    }
}
