namespace MedSeg.Torch.Losses;

/// <summary>Every loss term a loss description can name, as data: name, modes, parameters with defaults and rules.</summary>
internal static class LossCatalog
{
    private static readonly LossMode[] Sigmoid = [LossMode.Binary, LossMode.Multilabel];
    private static readonly LossMode[] Softmax = [LossMode.Multiclass];
    private static readonly LossMode[] All = [LossMode.Binary, LossMode.Multilabel, LossMode.Multiclass];

    public static readonly IReadOnlyList<LossTermSpec> Terms =
    [
        new("bce", "binary cross-entropy with logits; pos_weight weighs foreground pixels", Sigmoid,
            [LossParameter.Number("pos_weight", 1, "a positive number", v => v > 0 && double.IsFinite(v))],
            a => new BceLoss(a["pos_weight"]!.Value)),
        new("ce", "cross-entropy of the softmax over classes", Softmax, [], _ => new CrossEntropyLoss()),
        new("dice", "smp's soft Dice loss per class over the batch", All,
            [Smooth()],
            // Tversky with α = β = ½ is Dice; its smoothing term counts half of Dice's.
            a => new TverskyLoss(0.5, 0.5, 1, a["smooth"]!.Value / 2)),
        new("focal", "focal loss; alpha weighs foreground pixels (binary, multilabel)", All,
            [
                LossParameter.Number("gamma", 2, "a number ≥ 0", v => v >= 0 && double.IsFinite(v)),
                LossParameter.Number("alpha", null, "a number in [0, 1]", v => v is >= 0 and <= 1, onlyIn: Sigmoid),
            ],
            a => new FocalLoss(a["gamma"]!.Value, a["alpha"])),
        new("tversky", "Tversky loss; alpha weighs false positives, beta false negatives", All,
            [Weight("alpha"), Weight("beta"), Smooth()],
            a => new TverskyLoss(a["alpha"]!.Value, a["beta"]!.Value, 1, a["smooth"]!.Value)),
        new("focal_tversky", "focal Tversky loss: mean over classes of (1 − Tversky)^gamma", All,
            [Weight("alpha"), Weight("beta"), LossParameter.Number("gamma", 0.75, "a positive number", v => v > 0 && double.IsFinite(v)), Smooth()],
            a => new TverskyLoss(a["alpha"]!.Value, a["beta"]!.Value, a["gamma"]!.Value, a["smooth"]!.Value)),
        new("lovasz", "Lovász hinge (binary, multilabel) or Lovász-softmax (multiclass)", All,
            [LossParameter.Flag("per_image", true)],
            a => new LovaszLoss(a["per_image"] == 1)),
        new("margin", "capsule margin loss on sigmoid probabilities (capsule lengths for segcaps, capsnet3d)", Sigmoid,
            [Probability("m_plus", 0.9), Probability("m_minus", 0.1), LossParameter.Number("lambda", 0.5, "a number ≥ 0", v => v >= 0 && double.IsFinite(v))],
            a => new MarginLoss(a["m_plus"]!.Value, a["m_minus"]!.Value, a["lambda"]!.Value)),
    ];

    /// <summary>The terms as written with their defaults, for error messages.</summary>
    public static string Usage => string.Join(", ", Terms.Select(t => t.Usage));

    public static LossTermSpec? Find(string name) => Terms.FirstOrDefault(t => t.Name == name);

    private static LossParameter Weight(string name) =>
        LossParameter.Number(name, 0.5, "a number ≥ 0", v => v >= 0 && double.IsFinite(v));

    private static LossParameter Probability(string name, double value) =>
        LossParameter.Number(name, value, "a number in [0, 1]", v => v is >= 0 and <= 1);

    private static LossParameter Smooth() =>
        LossParameter.Number("smooth", 0, "a number ≥ 0", v => v >= 0 && double.IsFinite(v));
}
