using System.Runtime.InteropServices;
using MedSeg.Torch.Models;
using MedSeg.Torch.Native;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// On a CPU that reports no cache hierarchy, libtorch's oneDNN crashed (SIGFPE) in the backward pass of a strided 1×1
/// convolution and returned non-finite input gradients for U-Net's segmentation head; the guard limits it to AVX.
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

    [DllImport("libc")]
    private static extern IntPtr getenv(string name);
}
