using MedSeg.Core.Evaluation;

namespace MedSeg.Core.Viewer;

/// <summary>A dataset (and optionally predictions for it) the viewer reads case by case.</summary>
public interface IViewerSource
{
    /// <summary>The layout's name: uwmgi, nnunet or folder.</summary>
    string Format { get; }

    /// <summary>Class names after background, in mask order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>What the mask values mean.</summary>
    ViewerMasks Masks { get; }

    /// <summary>What a case is called (case-day, case, image).</summary>
    string CaseKind { get; }

    /// <summary>The cases to show, in the data's order.</summary>
    IReadOnlyList<string> CaseIds { get; }

    /// <summary>Whether the data has ground truth.</summary>
    bool HasTruth { get; }

    /// <summary>Whether predictions were given.</summary>
    bool HasPredictions { get; }

    /// <summary>Reads one case of <see cref="CaseIds"/> at full resolution.</summary>
    /// <exception cref="MedSegException">A file is unreadable or does not match its case.</exception>
    ViewerCase Read(string caseId);

    /// <summary>The evaluation of the predictions against the truth (per-case figures), or null without both.</summary>
    EvaluationReport? Evaluate();
}
