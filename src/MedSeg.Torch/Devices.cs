using MedSeg.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch;

/// <summary>Maps the <c>--device</c> option to a libtorch device.</summary>
public static class Devices
{
    public static Device Resolve(string name) => name switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" when HasCudaLibTorch() => throw new MedSegException(
            "--device cuda: libtorch's CUDA build is installed but sees no GPU (check nvidia-smi and the driver); use --device cpu meanwhile."),
        "cuda" => throw new MedSegException(
            "--device cuda: this MedSeg is built with libtorch's CPU package (libtorch-cpu-linux-x64), which has no CUDA; on a machine with an "
            + "NVIDIA GPU reference libtorch-cuda-12.8-linux-x64 2.10.0 instead (Directory.Packages.props and src/MedSeg.Torch/MedSeg.Torch.csproj) "
            + "and rebuild, as README.md 'Running on CUDA' explains; or use --device cpu."),
        _ => throw new MedSegException($"--device {name} is unknown; valid: cpu, cuda."),
    };

    /// <summary>Whether libtorch's CUDA library was deployed beside TorchSharp's native libraries.</summary>
    private static bool HasCudaLibTorch() =>
        new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(torch).Assembly.Location) ?? "" }
            .Any(folder => File.Exists(Path.Combine(folder, "runtimes", "linux-x64", "native", "libtorch_cuda.so"))
                || File.Exists(Path.Combine(folder, "libtorch_cuda.so")));
}
