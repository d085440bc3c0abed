using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Inference;

/// <summary>A trained network in an ensemble, the run it came from, and its weight in the probability average.</summary>
public sealed record EnsembleMember(nn.Module<Tensor, Tensor> Model, TrainConfig Config, IReadOnlyList<string> Classes, double Weight)
{
    /// <summary>How the run's training images were stored (<see cref="RunInfo.Intensity"/>); null for 16-bit PNGs read as they are.</summary>
    public string? Intensity { get; init; }

    /// <summary>Whether the run is a softmax over mutually exclusive classes, background first (<see cref="RunInfo.Multiclass"/>).</summary>
    public bool Multiclass { get; init; }

    /// <summary>Channels of each input image (<see cref="RunInfo.ImageChannels"/>; 1 for runs on MRI slices).</summary>
    public int ImageChannels { get; init; } = 1;

    /// <summary>The run folder the member was loaded from (for messages).</summary>
    public string Run { get; init; } = "";
}
