namespace MedSeg.Torch.Losses;

/// <summary>A loss term the loss description can name: its parameters, the modes it works in and how to build it.</summary>
internal sealed record LossTermSpec(string Name, string Summary, LossMode[] Modes, LossParameter[] Parameters,
    Func<IReadOnlyDictionary<string, double?>, ILossTerm> Create)
{
    /// <summary>How the term is written with its defaults, e.g. <c>focal(gamma=2,alpha=none)</c>.</summary>
    public string Usage => Parameters.Length == 0
        ? Name
        : $"{Name}({string.Join(",", Parameters.Select(p => $"{p.Name}={p.Format(p.Default)}"))})";
}
