namespace MedSeg.Tests.Cli;

/// <summary>A test that runs <c>medseg</c> as the user nobody (<see cref="Nobody"/>); skipped, saying why, where it cannot.</summary>
internal sealed class NobodyFactAttribute : FactAttribute
{
    public NobodyFactAttribute()
    {
        Skip = Nobody.WhyNot;
    }
}
