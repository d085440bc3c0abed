using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MedSeg.Torch.Native;

/// <summary>
/// Keeps libtorch's CPU convolutions correct on CPUs that report no cache hierarchy. oneDNN (libtorch's CPU
/// convolution library) sizes its JIT kernels' blocks from the caches CPUID reports; on a virtual machine that reports
/// none (Linux then shows no <c>/sys/devices/system/cpu/cpu0/cache</c>), its AVX-and-up kernels were seen to crash the
/// process with SIGFPE (a strided 1×1 convolution's gradient) and to compute wrong numbers: on libtorch 2.10 and an AMD
/// EPYC VM, 3×3 convolutions of 12 or 20 input channels (2D and 3D, forward, input and weight gradients) were off by
/// 30–100 % of their float64 reference at AVX, and many more channel counts at AVX2 and AVX-512, where they also read
/// memory they never wrote (a NaN left in freed memory made a U-Net decoder's output NaN). Its SSE4.1 kernels computed
/// every case right. On such a CPU this class limits oneDNN to them (<c>ONEDNN_MAX_CPU_ISA=SSE41</c>, set in the native
/// environment before libtorch's first convolution; measured here 1.1–1.8× the AVX time of a 2D U-Net step, ~1.6× in
/// 3D, while libtorch without oneDNN was 2× and 6× slower) and <see cref="Models.Autocast"/> computes CPU convolutions in
/// fp32, because bf16 without the newer kernels is ~17× slower than fp32 there. A user's own <c>ONEDNN_MAX_CPU_ISA</c> or
/// <c>DNNL_MAX_CPU_ISA</c> is left alone.
/// </summary>
public static class OneDnnGuard
{
    /// <summary>The ISA oneDNN is limited to on such CPUs.</summary>
    public const string SafeIsa = "SSE41";

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
