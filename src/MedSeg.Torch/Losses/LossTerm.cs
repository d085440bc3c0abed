using System.Globalization;

namespace MedSeg.Torch.Losses;

/// <summary>One weighted term of a <see cref="SegmentationLoss"/>, with every parameter resolved (defaults filled in).</summary>
public sealed class LossTerm
{
    private readonly LossTermSpec spec;

    internal LossTerm(LossTermSpec spec, double weight, IReadOnlyDictionary<string, double?> parameters)
    {
        this.spec = spec;
        Weight = weight;
        Parameters = parameters;
        Function = spec.Create(parameters);
    }

    /// <summary>The term's name, e.g. <c>dice</c>.</summary>
    public string Name => spec.Name;

    /// <summary>Its factor in the weighted sum.</summary>
    public double Weight { get; }

    /// <summary>Every parameter by name; null for an optional one left off (focal's <c>alpha</c>).</summary>
    public IReadOnlyDictionary<string, double?> Parameters { get; }

    internal ILossTerm Function { get; }

    /// <summary>The term as a loss description writes it, all parameters spelled out: <c>focal(gamma=2,alpha=none):0.5</c>.</summary>
    public override string ToString()
    {
        var parameters = spec.Parameters.Length == 0
            ? ""
            : $"({string.Join(",", spec.Parameters.Select(p => $"{p.Name}={p.Format(Parameters[p.Name])}"))})";
        return $"{Name}{parameters}:{Weight.ToString("R", CultureInfo.InvariantCulture)}";
    }
}
