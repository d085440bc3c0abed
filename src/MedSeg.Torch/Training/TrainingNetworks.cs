using MedSeg.Core;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// The network a <see cref="TrainConfig"/> describes — one place for training (fresh weights) and for loading a
/// run folder, so the two always build the same module. <c>--arch classifier</c> is an encoder with its
/// classification head giving per-class "this slice contains the class" logits (the empty-slice gate); every
/// other arch is a segmentation network of <see cref="ModelFactory"/>.
/// </summary>
public static class TrainingNetworks
{
    /// <summary>The architecture name of classification runs.</summary>
    public const string Classifier = "classifier";

    /// <summary>True when <paramref name="config"/> trains a per-class presence classifier instead of a segmenter.</summary>
    public static bool IsClassifier(TrainConfig config) => config.Arch == Classifier;

    /// <summary>Every architecture a run can train: <see cref="ModelFactory"/>'s networks and <see cref="Classifier"/>.</summary>
    public static IReadOnlyList<string> Architectures => [.. ModelFactory.Architectures.Keys, Classifier];

    /// <summary>
    /// Every architecture × encoder with default widths and its parameter count: <see cref="ModelFactory.Summaries"/>
    /// and the classifier on each encoder (<see cref="ModelFactory.Summaries"/> checks the counts first).
    /// </summary>
    public static IReadOnlyList<ModelSummary> Summaries(int inChannels = 3, int classes = 1)
    {
        return [.. ModelFactory.Summaries(inChannels, classes), .. EncoderRegistry.Names.Select(encoder => new ModelSummary(Classifier, encoder,
            inChannels, classes, ModelFactory.CountParameters(() => new ImageClassifier(encoder, inChannels, classes))))];
    }

    /// <summary>Throws a <see cref="MedSegException"/> listing the valid names when the arch/encoder pair is unknown.</summary>
    public static void Check(TrainConfig config)
    {
        if (!Architectures.Contains(config.Arch))
        {
            throw new MedSegException($"--arch {config.Arch} is unknown; valid: {string.Join(", ", Architectures)}.");
        }
        if (!IsClassifier(config))
        {
            ModelFactory.Check(config.Arch, config.Encoder);
        }
        else if (!EncoderRegistry.Names.Contains(config.Encoder))
        {
            throw new MedSegException($"--encoder {config.Encoder} is unknown for {Classifier}; valid: {string.Join(", ", EncoderRegistry.Names)}.");
        }
    }

    /// <summary>A new network with fresh weights for <paramref name="classes"/> classes (seed libtorch first).</summary>
    public static nn.Module<Tensor, Tensor> Create(TrainConfig config, int classes) => Create(config, classes, config.InChannels);

    /// <summary>The same with <paramref name="inChannels"/> input channels (e.g. 3 for RGB images of a folder dataset).</summary>
    public static nn.Module<Tensor, Tensor> Create(TrainConfig config, int classes, int inChannels)
    {
        Check(config);
        if (IsClassifier(config))
        {
            return new ImageClassifier(config.Encoder, inChannels, classes);
        }
        var model = ModelFactory.Create(config.Arch, config.Encoder, inChannels, classes, Options(config));
        if (config.OutputPrior is { } prior)
        {
            try
            {
                model.InitialiseOutputPrior(prior);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        return model;
    }

    /// <summary>The <see cref="ModelOptions"/> a segmentation run's config gives its network.</summary>
    public static ModelOptions Options(TrainConfig config) => new()
    {
        OutputStride = config.OutputStride, Features = config.Features, Levels = config.Levels, Routings = config.Routings,
        Reconstruction = config.Reconstruction > 0, LayerOrder = config.LayerOrder, DeepSupervision = config.DeepSupervision == true,
    };
}
