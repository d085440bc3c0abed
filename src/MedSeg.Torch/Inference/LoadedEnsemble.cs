using MedSeg.Core.Inference;
using MedSeg.Core;
using MedSeg.Core.PostProcessing;
using MedSeg.Core.Tuning;
using MedSeg.Torch.Models;
using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>
/// The networks of one or more run folders loaded for prediction: a <c>--fold all</c> run stands for its folds,
/// which share that run's weight equally; an ensemble file (<c>medseg tune --out ENSEMBLE.json</c>) given as the only
/// <c>--model</c> brings its runs, weights and tuned settings; otherwise the first run's <c>tuned.json</c> fills
/// thresholds and the minimum pixel count the options leave open, and its <c>postprocessing.json</c> the classes that
/// keep only their largest component (<see cref="PredictOptions.ValidatedPostProcess"/>). Disposing releases the networks.
/// </summary>
public sealed class LoadedEnsemble : IDisposable
{
    private LoadedEnsemble(IReadOnlyList<EnsembleMember> members, PredictOptions options, IReadOnlyList<string> warnings, string? postProcessingNote)
    {
        Members = members;
        Options = options;
        Warnings = warnings;
        PostProcessingNote = postProcessingNote;
    }

    /// <summary>What the user should hear before prediction starts, e.g. a forced <c>--tta</c> view a run was not trained with (<see cref="TtaView.UntrainedWarning(string, Core.Augmentations.AugmentationPipeline, string)"/>).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// What post-processing decided on validation predict applies and why (<see cref="ValidationPostProcessing.Describe"/>),
    /// for the runs the <c>--model</c> paths resolved to (bundles, ensemble files, folds); null for folder datasets,
    /// whose classes are exclusive.
    /// </summary>
    public string? PostProcessingNote { get; }

    public IReadOnlyList<EnsembleMember> Members { get; }

    /// <summary>The classes of the first run (the segmenter checks that every member has them).</summary>
    public IReadOnlyList<string> Classes => Members[0].Classes;

    /// <summary>
    /// How the members' training images were stored (<see cref="RunInfo.Intensity"/>), which NIfTI input must match;
    /// members that disagree cannot share one input.
    /// </summary>
    /// <exception cref="MedSegException">Runs trained on NIfTI (per-volume intensities) and on PNG data are mixed.</exception>
    public string? Intensity
    {
        get
        {
            var rules = Members.Select(m => m.Intensity).Distinct().ToArray();
            return rules.Length == 1
                ? rules[0]
                : throw new MedSegException(
                    $"the --model runs store NIfTI intensities differently ({string.Join(", ", rules.Select(r => r ?? "as-is PNG"))}): runs trained on nnU-Net data and runs trained on UW-Madison PNGs cannot share one NIfTI input; predict with one kind at a time.");
        }
    }

    /// <summary>The prediction options with the tuned settings filled in.</summary>
    public PredictOptions Options { get; }

    /// <param name="runs">Run folders, one per <c>--model</c>; <paramref name="weights"/> gives one weight per entry (null = equal).</param>
    /// <param name="multiclass">True for data of mutually exclusive classes (folder datasets): every run must be a softmax run trained on such data; false: none may be.</param>
    public static LoadedEnsemble Load(IReadOnlyList<string> runs, IReadOnlyList<double>? weights, PredictOptions options, Device device, bool multiclass = false)
    {
        if (runs.Count == 0)
        {
            throw new MedSegException("no model given; pass at least one --model RUN.");
        }
        runs = [.. runs.Select(Export.ModelBundle.Resolve)];
        var file = EnsembleFile(runs, weights);
        if (file is not null)
        {
            (runs, weights) = (file.Models, file.Weights);
        }
        EnsembleWeights.CheckCount(weights, runs.Count);
        var expanded = runs.Select(FoldRuns.Load).ToArray();
        var folders = expanded.SelectMany(f => f).ToArray();
        foreach (var folder in folders.Where(f => TrainingNetworks.IsClassifier(f.Config)))
        {
            throw new MedSegException($"--model {folder.Path} is a classification run; pass it as --gate {folder.Path} and give a segmentation run as --model.");
        }
        foreach (var folder in folders)
        {
            EnsembleClasses.CheckKind(folder.Path, folder.Info.Multiclass, folder.Info.Intensity, multiclass);
        }
        var warnings = folders.Select(f => TtaView.UntrainedWarning(options.Tta, f.Config.AugmentationPipeline(), f.Path)).OfType<string>().ToArray();
        // A --fold all run counts as one --model: its folds share that model's weight equally.
        var memberWeights = expanded.SelectMany((paths, i) => paths.Select(_ => (weights?[i] ?? 1.0) / paths.Count)).ToArray();
        var tuned = file is not null ? (file.Thresholds, file.MinPixels)
            : TunedSettings.Read(runs[0]) is { } settings ? (settings.Thresholds, settings.MinPixels) : default;
        var (thresholds, postProcess, decision) = ValidationPostProcessing.Fill(options.Thresholds, options.PostProcess, options.ValidatedPostProcess, runs, tuned);
        options = options with { Thresholds = thresholds, PostProcess = postProcess };
        var postProcessingNote = multiclass ? null : ValidationPostProcessing.Describe(options.ValidatedPostProcess, decision, runs);
        var members = new List<EnsembleMember>();
        try
        {
            for (var i = 0; i < folders.Length; i++)
            {
                members.Add(new EnsembleMember(Network(folders[i], options.Backend, device), folders[i].Config, folders[i].Info.Classes, memberWeights[i])
                {
                    Intensity = folders[i].Info.Intensity,
                    Multiclass = folders[i].Info.Multiclass,
                    ImageChannels = folders[i].Info.ImageChannels ?? 1,
                    Run = folders[i].Path,
                });
            }
        }
        catch
        {
            members.ForEach(m => m.Model.Dispose());
            throw;
        }
        return new LoadedEnsemble(members, options, warnings, postProcessingNote);
    }

    /// <summary>
    /// The run's network on <paramref name="backend"/>: TorchSharp's module prepared once for inference
    /// (<see cref="InferenceNetwork"/>: BatchNorm folded, weights in the run's precision), or its ONNX export on ONNX Runtime.
    /// </summary>
    internal static nn.Module<Tensor, Tensor> Network(RunFolder folder, string backend, Device device)
    {
        if (!PredictOptions.Backends.Contains(backend))
        {
            throw new MedSegException($"--backend {backend} is unknown; valid: {string.Join(", ", PredictOptions.Backends)}.");
        }
        if (backend == "torch")
        {
            return InferenceNetwork.Prepare(folder.LoadModel(device), folder.Config.Precision, device, Export.RunExport.TrainingSize(folder.Config));
        }
        if (device.type != DeviceType.CPU)
        {
            throw new MedSegException("--backend onnx runs on ONNX Runtime's CPU provider; use --device cpu with it.");
        }
        using var model = folder.LoadModel(device);
        return OnnxRuntimeNetwork.FromRun(model, folder);
    }

    /// <summary>The ensemble file given as the only <c>--model</c> (<c>medseg tune --out ENSEMBLE.json</c>), or null.</summary>
    private static EnsembleSettings? EnsembleFile(IReadOnlyList<string> runs, IReadOnlyList<double>? weights)
    {
        var files = runs.Where(r => File.Exists(r) && r.EndsWith(".json", StringComparison.OrdinalIgnoreCase)).ToArray();
        if (files.Length == 0)
        {
            return null;
        }
        if (runs.Count > 1 || weights is not null)
        {
            throw new MedSegException($"--model {files[0]} is an ensemble file with its own models and weights; give it alone, without other --model or --weights.");
        }
        return OutOfFoldTuning.ReadEnsemble(files[0]);
    }

    public void Dispose()
    {
        foreach (var member in Members)
        {
            member.Model.Dispose();
        }
    }
}
