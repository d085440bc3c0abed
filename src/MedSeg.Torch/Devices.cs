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
        "cuda" => throw new MedSegException(
            "--device cuda: no CUDA device is available to this libtorch (the CPU build is installed); use --device cpu or reference a CUDA libtorch package."),
        _ => throw new MedSegException($"--device {name} is unknown; valid: cpu, cuda."),
    };
}
