namespace MedSeg.Core.Synthetic;

/// <summary>The region a tissue is confined to: the whole body, or the abdominal cavity inside the wall muscles.</summary>
internal enum TissueClip
{
    Body,
    Cavity,
}
