using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// smp's <c>initialize_decoder</c> / <c>initialize_head</c>: decoder convolutions Kaiming-uniform (fan-in, ReLU gain)
/// with zero bias, head convolutions and linear layers Xavier-uniform with zero bias; normalisation layers keep
/// PyTorch's ones/zeros.
/// </summary>
internal static class SmpInit
{
    public static void Decoder(nn.Module decoder)
    {
        using var noGrad = no_grad();
        foreach (var module in decoder.modules().Where(m => m is Conv))
        {
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                if (name == "weight")
                {
                    nn.init.kaiming_uniform_(parameter, mode: nn.init.FanInOut.FanIn, nonlinearity: nn.init.NonlinearityType.ReLU);
                }
                else
                {
                    parameter.zero_();
                }
            }
        }
    }

    public static void Head(nn.Module head)
    {
        using var noGrad = no_grad();
        foreach (var module in head.modules().Where(m => m is Conv or Linear))
        {
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                if (name == "weight")
                {
                    nn.init.xavier_uniform_(parameter);
                }
                else
                {
                    parameter.zero_();
                }
            }
        }
    }
}
