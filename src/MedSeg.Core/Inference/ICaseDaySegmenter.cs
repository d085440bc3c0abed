using MedSeg.Core.Data;

namespace MedSeg.Core.Inference;

/// <summary>
/// Models loaded to segment UW-Madison case-days, whichever backend computes the networks (MedSeg.Torch on TorchSharp
/// or its ONNX Runtime networks, MedSeg.Onnx without libtorch): what <see cref="SubmissionPipeline"/> needs of them.
/// Disposing releases the networks.
/// </summary>
public interface ICaseDaySegmenter : IDisposable
{
    /// <summary>The classes predicted, in submission order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>What the user should hear before prediction starts (e.g. a forced test-time view a run was not trained with).</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>What post-processing decided on validation is applied, and why; null when there is nothing to say.</summary>
    string? PostProcessingNote { get; }

    /// <summary>Per-class probabilities of a case-day, each D×H×W row-major in slice order.</summary>
    float[][] Probabilities(UwCaseDay caseDay);

    /// <summary>Per-class 0/1 masks from <paramref name="probabilities"/>: thresholded, gated and post-processed.</summary>
    byte[][] Masks(UwCaseDay caseDay, float[][] probabilities);
}
