namespace MedSeg.Core.Synthetic;

/// <summary>
/// One tissue of the synthetic abdomen: the union of <see cref="Tubes"/>, drawn with <see cref="Look"/> inside
/// <see cref="Clip"/>. <see cref="Label"/> is the 1-based class written to the masks (0 = not labelled).
/// </summary>
internal sealed record TubeTissue(Tube[] Tubes, TissueLook Look, byte Label, TissueClip Clip);
