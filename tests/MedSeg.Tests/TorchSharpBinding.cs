using System.Runtime.CompilerServices;
using MedSeg.Torch.Native;

namespace MedSeg.Tests;

/// <summary>Binds TorchSharp to MedSeg's scalar-lifetime shim before any test touches TorchSharp directly.</summary>
internal static class TorchSharpBinding
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before any test calls TorchSharp.")]
    internal static void Install() => ScalarLifetimeShim.Install();
}
