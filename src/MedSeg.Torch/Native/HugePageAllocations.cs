using System.Runtime.CompilerServices;

namespace MedSeg.Torch.Native;

/// <summary>
/// Lets libtorch back its large CPU tensors with transparent huge pages (its <c>THP_MEM_ALLOC_ENABLE</c>: buffers of
/// 2 MB and more are 2 MB-aligned and advised <c>MADV_HUGEPAGE</c>). glibc hands every allocation above 32 MB to a fresh
/// <c>mmap</c>, so each such activation (a U-Net's last decoder stages at 8 × 256 × 256 are 33.5 MB in bf16) costs one
/// page fault per 4 kB page on first touch — on this VM about 9 µs each, 70 ms for one concatenation or upsampling.
/// With huge pages that is one fault per 2 MB. Measured here (U-Net/ResNet-34, 8 × 3 × 256², 2 threads): the prepared
/// bf16 inference batch 349 → 248 ms, the fp32 training step 5376 → 3813 ms (8956–9215 → 6786–8026 ms since the
/// oneDNN guard moved to SSE4.1). Applied on Linux when the kernel offers
/// transparent huge pages (<c>always</c> or <c>madvise</c>) and the user has not set the variable; a module initializer,
/// so it runs before libtorch's first allocation reads the setting. The numbers a run computes do not change. (It was
/// opt-in for a day because 3D training went NaN more often with it: reused memory exposed oneDNN's reads of memory it
/// never wrote on this cache-less VM, which <see cref="OneDnnGuard"/> now avoids.)
/// </summary>
public static class HugePageAllocations
{
    /// <summary>libtorch's switch for huge-page-backed CPU allocations.</summary>
    public const string Variable = "THP_MEM_ALLOC_ENABLE";

    private const string KernelSetting = "/sys/kernel/mm/transparent_hugepage/enabled";

    /// <summary>Why libtorch's CPU allocations use huge pages or not, for <c>medseg info</c>.</summary>
    public static string State { get; private set; } = "off (not Linux)";

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch's first allocation reads the setting.")]
    internal static void ApplyOnLoad()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        if (Environment.GetEnvironmentVariable(Variable) is { } given)
        {
            State = $"{(given == "1" ? "on" : "off")} ({Variable}={given} given)";
            return;
        }
        var mode = File.Exists(KernelSetting) ? File.ReadAllText(KernelSetting) : "";
        if (!mode.Contains("[always]", StringComparison.Ordinal) && !mode.Contains("[madvise]", StringComparison.Ordinal))
        {
            State = $"off (the kernel offers no transparent huge pages: {KernelSetting} {(mode.Length == 0 ? "is missing" : $"is '{mode.Trim()}'")})";
            return;
        }
        State = NativeEnvironment.SetUnlessSet(Variable, "1") ? $"on ({Variable}=1: tensors of 2 MB and more on transparent huge pages)" : "off (setenv failed)";
    }
}
