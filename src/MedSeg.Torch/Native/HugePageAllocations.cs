namespace MedSeg.Torch.Native;

/// <summary>
/// Whether libtorch backs its large CPU tensors with transparent huge pages (its <c>THP_MEM_ALLOC_ENABLE=1</c>: buffers
/// of 2 MB and more are 2 MB-aligned and advised <c>MADV_HUGEPAGE</c>). glibc hands every allocation above 32 MB to a
/// fresh <c>mmap</c>, so each such activation (a U-Net's last decoder stages at 8 × 256 × 256 are 33.5 MB in bf16) costs
/// one page fault per 4 kB page on first touch — on this VM about 9 µs each, 70 ms for one concatenation or upsampling.
/// With huge pages that is one fault per 2 MB: measured here (U-Net/ResNet-34, 8 × 3 × 256², 2 threads) the prepared
/// bf16 inference batch 434–460 → 266–279 ms and the fp32 training step 7209 → 4112 ms. It is <b>not</b> set by
/// default: with it, a tiny 3D U-Net's training went NaN in 2 of 3 runs of the 3D tests on this cache-less VM (none of 3
/// without) — reused huge-page memory instead of fresh zeroed pages exposes a read of uninitialised memory somewhere in
/// the 3D path (the oneDNN guard's history has one such read). The user sets the variable; <c>medseg info</c> reports it.
/// </summary>
public static class HugePageAllocations
{
    /// <summary>libtorch's switch for huge-page-backed CPU allocations.</summary>
    public const string Variable = "THP_MEM_ALLOC_ENABLE";

    /// <summary>Whether libtorch's CPU allocations use huge pages in this process, for <c>medseg info</c>.</summary>
    public static string State => Environment.GetEnvironmentVariable(Variable) is { } given
        ? $"{(given == "1" ? "on" : "off")} ({Variable}={given})"
        : $"off ({Variable}=1 puts tensors of 2 MB and more on transparent huge pages: faster here, but see the README before training 3D with it)";
}
