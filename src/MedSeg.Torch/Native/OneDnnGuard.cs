using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MedSeg.Torch.Native;

/// <summary>
/// Keeps libtorch's CPU convolutions correct on CPUs that report no cache hierarchy. oneDNN (libtorch's CPU
/// convolution library) sizes its JIT kernels' blocks from the caches CPUID reports; on a virtual machine that reports
/// none (Linux then shows no <c>/sys/devices/system/cpu/cpu0/cache</c>), its brgemm convolution backward passes were
/// seen to crash the process with SIGFPE (a strided 1×1 convolution's gradient) or to return non-finite gradients
/// from uninitialised memory (libtorch 2.10, AMD EPYC VM, every ISA from AVX2 up). On such a CPU this class limits
/// oneDNN to its AVX kernels (<c>ONEDNN_MAX_CPU_ISA=AVX</c>, set in the native environment before libtorch's first
/// convolution) and <see cref="Models.Autocast"/> computes CPU convolutions in fp32, because bf16 without the newer
/// kernels is ~17× slower than fp32 there. A user's own <c>ONEDNN_MAX_CPU_ISA</c> or <c>DNNL_MAX_CPU_ISA</c> is left alone.
/// </summary>
public static class OneDnnGuard
{
    /// <summary>The ISA oneDNN is limited to on such CPUs.</summary>
    public const string SafeIsa = "AVX";

    private const string CacheFolder = "/sys/devices/system/cpu/cpu0/cache";

    /// <summary>Why oneDNN was limited in this process; null when it was not.</summary>
    public static string? Reason { get; private set; }

    /// <summary>Whether this process limited oneDNN (and computes CPU convolutions in fp32).</summary>
    public static bool IsActive => Reason is not null;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before libtorch's first convolution reads the setting.")]
    internal static void ApplyOnLoad()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64 || Directory.Exists(CacheFolder))
        {
            return;
        }
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null)
        {
            return;
        }
        if (NativeEnvironment.SetUnlessSet("ONEDNN_MAX_CPU_ISA", SafeIsa))
        {
            Reason = $"the CPU reports no cache hierarchy ({CacheFolder} is missing): oneDNN limited to {SafeIsa}, CPU convolutions in fp32";
        }
    }
}
