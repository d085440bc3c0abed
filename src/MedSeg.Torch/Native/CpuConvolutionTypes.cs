namespace MedSeg.Torch.Native;

/// <summary>
/// Which reduced types this machine's CPU convolutions are worth computing in; elsewhere a reduced-precision scope
/// computes them in fp32 with channels-last strides, which is then both faster and more exact.
/// <list type="bullet">
/// <item>bf16 needs AMX (<c>amx_bf16</c>): there oneDNN's bf16 channels-last convolution was ~10× its fp32 NCHW one
/// (DEPENDENCIES.md). With <c>avx512_bf16</c> alone (an Intel Xeon VM that hides AMX, 2026-12-07) bf16 lost to fp32
/// channels-last: a 3×3 64→64 convolution 107–164 against 143–247 GFLOP/s, the U-Net/ResNet-34 training step (batch
/// 8 × 256²) 3114 / 3098 ms against 2063 / 2182 ms, its inference batch 812 / 928 against 550 / 567 ms (PyTorch 1.13's
/// bf16 lost there too). Without any bf16 instruction oneDNN has only reference kernels, ~17× slower than fp32.</item>
/// <item>fp16 needs <c>avx512_fp16</c> or <c>amx_fp16</c> (a CPU fp16 run is only ever asked for explicitly).</item>
/// </list>
/// A type counts when Linux lists the instructions in <c>/proc/cpuinfo</c> and <see cref="OneDnnGuard"/> has not
/// limited oneDNN to SSE4.1. Elsewhere (no <c>/proc/cpuinfo</c>) both count, as before.
/// </summary>
public static class CpuConvolutionTypes
{
    private static readonly Lazy<HashSet<string>?> Flags = new(ReadFlags);

    /// <summary>Whether CPU convolutions compute in bfloat16 inside a bf16 scope.</summary>
    public static bool BFloat16 => Supports("amx_bf16");

    /// <summary>Whether CPU convolutions compute in float16 inside an fp16 scope.</summary>
    public static bool Float16 => Supports("avx512_fp16", "amx_fp16");

    /// <summary>One line for <c>medseg info</c>: the reduced types CPU convolutions use, and why not the others.</summary>
    public static string Describe()
    {
        if (OneDnnGuard.IsActive)
        {
            return "fp32 only (oneDNN guard)";
        }
        var types = new[] { ("bf16", BFloat16), ("fp16", Float16) }.Where(t => t.Item2).Select(t => t.Item1).ToList();
        var noBf16 = BFloat16 ? "" : "; bf16 runs as fp32 channels-last without AMX";
        return types.Count == 0 ? $"fp32 only (no AMX, no fp16 instructions{noBf16})" : $"fp32, {string.Join(", ", types)}{(noBf16.Length > 0 ? $" ({noBf16[2..]})" : "")}";
    }

    private static bool Supports(params string[] anyOf) =>
        !OneDnnGuard.IsActive && (Flags.Value is not { } flags || anyOf.Any(flags.Contains));

    private static HashSet<string>? ReadFlags()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
        {
            return null;
        }
        var line = File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
        return line is null ? null : [.. line[(line.IndexOf(':') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
