using System.Runtime.InteropServices;
using MedSeg.Torch.Native;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// libtorch backs large CPU tensors with transparent huge pages where the kernel offers them (a fresh 33 MB activation
/// otherwise costs one page fault per 4 kB page on first touch), unless the user set <c>THP_MEM_ALLOC_ENABLE</c>.
/// </summary>
public sealed class HugePageAllocationsTests
{
    private static bool KernelOffersThem => OperatingSystem.IsLinux() && File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")
        && File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled") is var mode
        && (mode.Contains("[always]", StringComparison.Ordinal) || mode.Contains("[madvise]", StringComparison.Ordinal));

    [Fact]
    public void AreOnExactlyWhereTheKernelOffersThemAndTheUserLeftTheSettingAlone()
    {
        var given = Environment.GetEnvironmentVariable(HugePageAllocations.Variable);
        if (given is not null)
        {
            Assert.Contains($"{HugePageAllocations.Variable}={given} given", HugePageAllocations.State, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(KernelOffersThem ? "1" : null, Marshal.PtrToStringAnsi(getenv(HugePageAllocations.Variable)));
        Assert.StartsWith(KernelOffersThem ? "on" : "off", HugePageAllocations.State, StringComparison.Ordinal);

        // Tensors above glibc's 32 MB mmap threshold still compute the same numbers.
        using var scope = NewDisposeScope();
        var x = arange(0, 9_000_000, dtype: ScalarType.Float32).reshape(3, 3_000_000);
        Assert.Equal(9_000_000.0 * 8_999_999 / 2, x.sum(ScalarType.Float64).item<double>());
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
