namespace MedSeg.Tests.Cli;

/// <summary>A test that mounts a <see cref="Tmpfs"/>: skipped where that is not allowed (not root, no <c>mount</c>).</summary>
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!Tmpfs.Available)
        {
            Skip = "needs root and mount to create a small tmpfs";
        }
    }
}
