using System.Runtime.InteropServices;

namespace MedSeg.Torch.Benchmarks;

/// <summary>
/// The peak GPU memory a stretch of work added on CUDA device 0, the figure papers report as "GPU MB" (Avesta et al.
/// 2023). TorchSharp 0.107 exposes none of libtorch's caching-allocator statistics, so the memory in use on the device
/// is read from the driver's NVML (<c>libnvidia-ml.so.1</c>, what <c>nvidia-smi</c> shows: the allocator's reserve and
/// the CUDA context included) every <see cref="IntervalMs"/> ms during the work, and the value before it subtracted.
/// Without a CUDA device or NVML every figure is NaN.
/// </summary>
public sealed class GpuPeakMemory : IDisposable
{
    /// <summary>Milliseconds between two readings.</summary>
    public const int IntervalMs = 10;

    private const string Library = "libnvidia-ml.so.1";
    private readonly IntPtr device;
    private readonly double beforeMb;
    private readonly Thread? sampler;
    private volatile bool stopping;
    private double peakMb;

    private GpuPeakMemory(IntPtr device)
    {
        this.device = device;
        beforeMb = UsedMb();
        peakMb = beforeMb;
        sampler = new Thread(Sample) { IsBackground = true, Name = "gpu-memory" };
        sampler.Start();
    }

    private GpuPeakMemory()
    {
        beforeMb = double.NaN;
        peakMb = double.NaN;
    }

    /// <summary>Starts sampling when <paramref name="deviceName"/> is <c>cuda</c> and NVML answers; otherwise a measure of NaN.</summary>
    public static GpuPeakMemory Start(string deviceName) =>
        deviceName == "cuda" && OpenDevice() is { } handle ? new GpuPeakMemory(handle) : new GpuPeakMemory();

    /// <summary>The highest reading so far minus the reading at the start, in MB (NaN without a GPU).</summary>
    public double AddedMb => Volatile.Read(ref peakMb) - beforeMb;

    /// <summary>Runs <paramref name="work"/> under <see cref="PeakMemory.Measure"/> and this measure together.</summary>
    public static (T Result, double Seconds, double PeakMb, double GpuPeakMb) Measure<T>(string deviceName, Func<T> work)
    {
        using var gpu = Start(deviceName);
        var (result, seconds, peakMb) = PeakMemory.Measure(work);
        gpu.Stop();
        return (result, seconds, peakMb, gpu.AddedMb);
    }

    private void Sample()
    {
        while (!stopping)
        {
            var used = UsedMb();
            if (used > Volatile.Read(ref peakMb))
            {
                Volatile.Write(ref peakMb, used);
            }
            Thread.Sleep(IntervalMs);
        }
    }

    private void Stop()
    {
        if (sampler is null || stopping)
        {
            return;
        }
        stopping = true;
        sampler.Join();
        _ = NvmlShutdown();
    }

    /// <summary>Stops sampling and releases NVML.</summary>
    public void Dispose() => Stop();

    private double UsedMb()
    {
        var memory = new NvmlMemory();
        return NvmlDeviceGetMemoryInfo(device, ref memory) == 0 ? memory.Used / (1024.0 * 1024.0) : double.NaN;
    }

    private static IntPtr? OpenDevice()
    {
        try
        {
            return NvmlInit() == 0 && NvmlDeviceGetHandleByIndex(0, out var handle) == 0 ? handle : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No NVIDIA driver library: the GPU figure stays NaN.
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [DllImport(Library, EntryPoint = "nvmlInit_v2")]
    private static extern int NvmlInit();

    [DllImport(Library, EntryPoint = "nvmlShutdown")]
    private static extern int NvmlShutdown();

    [DllImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    private static extern int NvmlDeviceGetHandleByIndex(uint index, out IntPtr device);

    [DllImport(Library, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    private static extern int NvmlDeviceGetMemoryInfo(IntPtr device, ref NvmlMemory memory);
}
