namespace MedSeg.Core.Evaluation;

/// <summary>The figures of one case (a UW-Madison case-day or a label-map volume): over its classes, and per class.</summary>
/// <param name="Overall">Figures over the case's classes.</param>
/// <param name="PerClass">Class name → figures of that class in this case, in class order.</param>
public sealed record EvaluationCase(EvaluationFigures Overall, IReadOnlyDictionary<string, EvaluationFigures> PerClass);
