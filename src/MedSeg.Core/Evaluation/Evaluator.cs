namespace MedSeg.Core.Evaluation;

/// <summary>Opens the right <see cref="IEvaluator"/> for what <c>medseg evaluate --pred</c> names.</summary>
public static class Evaluator
{
    /// <summary>
    /// A submission <c>.csv</c> is scored against a UW-Madison folder; a folder of NIfTI label maps against an
    /// nnU-Net dataset (its <c>labelsTr</c>) or any folder of label maps with the same file names; a folder of index
    /// PNGs against a folder dataset (<see cref="FolderEvaluator"/>).
    /// </summary>
    /// <exception cref="MedSegException">The prediction path is neither, or the inputs do not belong together.</exception>
    public static IEvaluator Load(string predPath, string truthPath)
    {
        ArgumentNullException.ThrowIfNull(predPath);
        ArgumentNullException.ThrowIfNull(truthPath);
        if (FolderEvaluator.Accepts(predPath, truthPath))
        {
            return FolderEvaluator.Load(predPath, truthPath);
        }
        if (Directory.Exists(predPath))
        {
            return LabelMapEvaluator.Load(predPath, truthPath);
        }
        if (predPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return SubmissionEvaluator.Load(predPath, truthPath);
        }
        throw new MedSegException(
            $"--pred {predPath} is neither a submission .csv nor a folder of label maps; pass the output of medseg predict.");
    }
}
