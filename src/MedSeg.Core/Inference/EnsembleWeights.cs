namespace MedSeg.Core.Inference;

/// <summary>The checks every ensemble's <c>--weights</c> go through, on either backend.</summary>
public static class EnsembleWeights
{
    /// <summary>Refuses <paramref name="weights"/> (null = equal) that do not give one value per <c>--model</c>.</summary>
    public static void CheckCount(IReadOnlyList<double>? weights, int models)
    {
        if (weights is not null && weights.Count != models)
        {
            throw new MedSegException($"--weights has {weights.Count} values for {models} --model runs; give one weight per run.");
        }
    }

    /// <summary><paramref name="sum"/>, the members' weights added up, refused unless positive.</summary>
    public static double CheckSum(double sum) =>
        sum > 0 ? sum : throw new MedSegException("the ensemble weights sum to zero; give at least one run a positive --weights value.");
}
