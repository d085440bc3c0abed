namespace MedSeg.Core.Inference;

/// <summary>The class checks every ensemble and its empty-slice gate go through, on either backend.</summary>
public static class EnsembleClasses
{
    /// <summary>The classes of the first member, refused unless every member of <paramref name="members"/> predicts them, in that order.</summary>
    public static IReadOnlyList<string> Common(IEnumerable<IReadOnlyList<string>> members)
    {
        IReadOnlyList<string>? first = null;
        foreach (var classes in members)
        {
            first ??= classes;
            if (!classes.SequenceEqual(first))
            {
                throw new MedSegException($"the runs predict different classes ({string.Join(",", first)} vs {string.Join(",", classes)}); ensemble runs trained on the same classes.");
            }
        }
        return first ?? throw new MedSegException("no model given; pass at least one --model.");
    }

    /// <summary>Refuses a <c>--gate</c> that classifies other classes (<paramref name="gate"/>) than the models predict.</summary>
    public static void CheckGate(IReadOnlyList<string> gate, IReadOnlyList<string> models)
    {
        if (!gate.SequenceEqual(models))
        {
            throw new MedSegException(
                $"the --gate run classifies {string.Join(",", gate)} but the models predict {string.Join(",", models)}; use a gate trained on the same classes.");
        }
    }
}
