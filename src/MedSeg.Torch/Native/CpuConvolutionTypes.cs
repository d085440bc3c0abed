namespace MedSeg.Torch.Native;

/// <summary>
/// Which reduced types this machine's CPU convolutions are worth computing in. libtorch runs a bf16 (fp16) convolution
/// fast only with the CPU's bf16 (fp16) instructions; without them oneDNN falls back to reference kernels that were
/// ~17× slower than fp32 here, so an fp32 convolution is then both faster and more exact. A type counts when Linux
/// lists its instructions in <c>/proc/cpuinfo</c> (<c>avx512_bf16</c> or <c>amx_bf16</c>; <c>avx512_fp16</c> or
/// <c>amx_fp16</c>) and <see cref="OneDnnGuard"/> has not limited oneDNN to SSE4.1. Elsewhere (no <c>/proc/cpuinfo</c>)
/// both count, as before.
/// </summary>
public static class CpuConvolutionTypes
{
    private static readonly Lazy<HashSet<string>?> Flags = new(ReadFlags);

    /// <summary>Whether CPU convolutions compute in bfloat16 inside a bf16 scope.</summary>
    public static bool BFloat16 => Supports("avx512_bf16", "amx_bf16");

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
        return types.Count == 0 ? "fp32 only (the CPU has no bf16/fp16 instructions)" : $"fp32, {string.Join(", ", types)}";
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
