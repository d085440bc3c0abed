using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// Mixed precision for convolutions, in place of PyTorch's autocast (TorchSharp has none): inside a
/// <see cref="BFloat16"/> scope, <see cref="Conv"/> layers compute in bfloat16 from fp32 master weights and
/// return fp32, so BatchNorm, losses and optimiser state stay fp32. With channels-last inputs this is the fast
/// path of libtorch's CPU kernels (oneDNN). The scope is per async flow, so parallel tests do not see each other's.
/// </summary>
public static class Autocast
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>True inside a <see cref="BFloat16"/> scope.</summary>
    public static bool IsBFloat16 => Active.Value;

    /// <summary>Turns bfloat16 convolutions on until the returned handle is disposed.</summary>
    public static IDisposable BFloat16(bool enabled = true) => new Scope(enabled);

    /// <summary>Same logical N×C×H×W tensor with channels-last strides (what oneDNN's fast kernels want).</summary>
    public static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    private sealed class Scope : IDisposable
    {
        private readonly bool previous;

        public Scope(bool enabled)
        {
            previous = Active.Value;
            Active.Value = enabled;
        }

        public void Dispose() => Active.Value = previous;
    }
}
