namespace MedSeg.Core.PostProcessing;

/// <summary>
/// Which neighbours join voxels into one component: faces only (4 in 2D, 6 in 3D) or faces, edges and corners
/// (8 in 2D, 26 in 3D).
/// </summary>
public enum Connectivity
{
    Faces,
    Full,
}
