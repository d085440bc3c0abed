using System.Runtime.InteropServices;
using MedSeg.Torch.Models;
using MedSeg.Torch.Native;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// On a CPU that reports no cache hierarchy, libtorch's oneDNN crashed (SIGFPE) in the backward pass of a strided 1×1
/// convolution, returned non-finite input gradients for U-Net's segmentation head, and from AVX up computed convolutions
/// of some channel counts wrong (12 or 20 input channels at AVX) and read memory it never wrote; the guard limits it to
/// SSE4.1. Every convolution here is checked against libtorch's float64 convolution, which does not use oneDNN.
/// </summary>
public sealed class OneDnnGuardTests
{
    private static bool CpuReportsNoCaches => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
        && !Directory.Exists("/sys/devices/system/cpu/cpu0/cache");

    private static bool UserChoseAnIsa => Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null
        || Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null;

    [Fact]
    public void IsOnExactlyWhereTheCpuReportsNoCachesAndTheUserChoseNoIsa()
    {
        Assert.Equal(CpuReportsNoCaches && !UserChoseAnIsa, OneDnnGuard.IsActive);
        if (OneDnnGuard.IsActive)
        {
            Assert.Equal(OneDnnGuard.SafeIsa, Marshal.PtrToStringAnsi(getenv("ONEDNN_MAX_CPU_ISA")));
            Assert.Contains("cache", OneDnnGuard.Reason);
        }
    }

    [Fact]
    public void ReducedPrecisionScopesComputeCpuConvolutionsInFp32WithoutAFastKernel()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 2, 4, 4);
        using (Autocast.BFloat16())
        {
            Assert.Equal(CpuConvolutionTypes.BFloat16 ? ScalarType.BFloat16 : null, Autocast.ReducedTypeFor(x));
            Assert.False(OneDnnGuard.IsActive && CpuConvolutionTypes.BFloat16);
        }
        Assert.Null(Autocast.ReducedTypeFor(x));
    }

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    public void AStridedOneByOneConvolutionAndASmallSegmentationHeadGiveFiniteGradients(string precision)
    {
        using var scope = NewDisposeScope();
        var shortcut = new Conv(64, 128, kernelSize: 1, stride: 2);
        var head = new Conv(16, 3, kernelSize: 3, padding: 1);
        for (var step = 0; step < 8; step++)
        {
            using var stepScope = NewDisposeScope();
            var a = randn(2, 64, 16, 16, requires_grad: true);
            var b = randn(2, 16, 64, 64, requires_grad: true);
            using (Autocast.For(precision))
            {
                shortcut.call(a).square().mean().add(head.call(b).square().mean()).backward();
            }
            Assert.True(a.grad!.isfinite().all().item<bool>() && b.grad!.isfinite().all().item<bool>(), $"step {step}: non-finite input gradient");
        }
    }

    /// <summary>Channel counts that AVX (12, 20) and AVX2/AVX-512 (most of the others) got wrong on such a CPU, 2D and 3D.</summary>
    [Theory]
    [InlineData(2, 3, 12, 4)]
    [InlineData(2, 3, 20, 16)]
    [InlineData(2, 3, 1, 3)]
    [InlineData(2, 3, 5, 12)]
    [InlineData(2, 1, 24, 8)]
    [InlineData(3, 3, 12, 4)]
    [InlineData(3, 3, 20, 3)]
    [InlineData(3, 3, 24, 8)]
    [InlineData(3, 3, 3, 16)]
    public void ConvolutionsMatchTheirFloat64ReferenceWhateverFreedMemoryHolds(int spatialDims, int kernel, int inChannels, int outChannels)
    {
        random.manual_seed(11);
        using var scope = NewDisposeScope();
        using var conv = new Conv(inChannels, outChannels, kernelSize: kernel, padding: kernel / 2, spatialDims: spatialDims);
        var x = spatialDims == 3 ? randn([2, inChannels, 8, 16, 16], requires_grad: true) : randn([2, inChannels, 32, 48], requires_grad: true);
        var weight = conv.parameters().First();
        var x64 = x.detach().to(ScalarType.Float64).requires_grad_(true);
        var weight64 = weight.detach().to(ScalarType.Float64).requires_grad_(true);
        var bias64 = conv.parameters().Last().detach().to(ScalarType.Float64);
        long[] padding = [.. Enumerable.Repeat((long)(kernel / 2), spatialDims)];
        var expected = spatialDims == 3
            ? nn.functional.conv3d(x64, weight64, bias64, padding: padding)
            : nn.functional.conv2d(x64, weight64, bias64, padding: padding);
        expected.square().mean().backward();
        var label = $"{spatialDims}D {kernel}×{kernel} conv, {inChannels} → {outChannels} channels";
        for (var pass = 0; pass < 2; pass++)
        {
            using var passScope = NewDisposeScope();
            LeaveNaNsInFreedMemory();
            var y = conv.call(x);
            LeaveNaNsInFreedMemory();
            y.square().mean().backward();
            AssertClose(expected, y, $"{label}, output");
            AssertClose(x64.grad!, x.grad!, $"{label}, input gradient");
            AssertClose(weight64.grad!, weight.grad!, $"{label}, weight gradient");
            x.grad!.zero_();
            weight.grad!.zero_();
        }
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var error = actual.to(ScalarType.Float64).sub(expected).abs().max().item<double>() / Math.Max(1e-12, expected.abs().max().item<double>());
        Assert.True(error < 1e-4, $"{what}: max |float32 − float64 reference| = {error:g3} of the largest value");
    }

    /// <summary>Buffers of 64 kB to 16 MB filled with NaN and freed, so that the allocator's next buffers start as NaN.</summary>
    private static void LeaveNaNsInFreedMemory()
    {
        for (long elements = 1 << 14; elements <= 1 << 22; elements *= 2)
        {
            using var poison = full(elements, float.NaN);
        }
    }

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
