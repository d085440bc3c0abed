using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models.Encoders;

/// <summary>
/// The weight initialisations torchvision's model constructors apply after building a network, so that MedSeg
/// networks trained from scratch start where the reference ones do.
/// </summary>
public static class TorchvisionInit
{
    /// <summary>ResNet and EfficientNet: every convolution weight Kaiming-normal (fan-out, ReLU gain), biases zero.</summary>
    public static void KaimingNormalConvolutions(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var conv in module.modules().OfType<Conv>())
        {
            foreach (var (name, p) in conv.named_parameters())
            {
                if (name == "weight")
                {
                    nn.init.kaiming_normal_(p, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
                }
                else
                {
                    nn.init.zeros_(p);
                }
            }
        }
    }

    /// <summary>
    /// ConvNeXt (<paramref name="convolutions"/> true) and Swin (false): every linear layer's — and, for ConvNeXt,
    /// every convolution's — weight <see cref="TruncatedNormal(Tensor)"/>, biases zero.
    /// </summary>
    public static void TruncatedNormal(nn.Module module, bool convolutions)
    {
        using var noGrad = no_grad();
        foreach (var layer in module.modules().Where(m => m is Linear || (convolutions && m is Conv)))
        {
            foreach (var (name, p) in layer.named_parameters())
            {
                if (name == "weight")
                {
                    TruncatedNormal(p);
                }
                else
                {
                    nn.init.zeros_(p);
                }
            }
        }
    }

    /// <summary>
    /// torchvision's <c>trunc_normal_(t, std=0.02)</c>, whose bounds (±2, i.e. ±100 std) never bind: a plain normal
    /// draw. (TorchSharp 0.107's <c>nn.init.trunc_normal_</c> fills the tensor with the constant 0.02 instead.)
    /// </summary>
    public static void TruncatedNormal(Tensor weight)
    {
        using var noGrad = no_grad();
        nn.init.normal_(weight, std: 0.02);
    }
}
