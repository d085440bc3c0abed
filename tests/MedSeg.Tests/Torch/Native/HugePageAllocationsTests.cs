using System.Runtime.InteropServices;
using MedSeg.Torch.Native;

namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// MedSeg leaves libtorch's huge-page allocations to the user (they exposed NaN in 3D training on a cache-less VM) and
/// reports what the user chose.
/// </summary>
public sealed class HugePageAllocationsTests
{
    [Fact]
    public void AreLeftToTheUserAndReported()
    {
        _ = MedSeg.Torch.Native.OneDnnGuard.IsActive; // MedSeg.Torch's module initializers have run
        var given = Environment.GetEnvironmentVariable(HugePageAllocations.Variable);
        Assert.Equal(given, Marshal.PtrToStringAnsi(getenv(HugePageAllocations.Variable)));
        Assert.StartsWith(given == "1" ? "on" : "off", HugePageAllocations.State, StringComparison.Ordinal);
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
