using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace MedSeg.Torch.Training.Optimizers;

/// <summary>
/// TorchSharp's <see cref="TorchSharp.Modules.SGD"/> under the same type name (same options, state and saved
/// state format) with a step whose scalar arguments
/// stay alive for the whole native call: see <see cref="AdamW"/> for the TorchSharp 0.107 race this avoids.
/// The arithmetic is PyTorch's SGD (momentum, dampening, Nesterov, weight decay), operation for operation.
/// </summary>
public sealed class SGD : TorchSharp.Modules.SGD
{
    public SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay, bool nesterov)
        : base(parameters, lr, momentum, weight_decay: weightDecay, nesterov: nesterov)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double momentum = options.momentum!.Value, weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
        using var decay = weightDecay.ToScalar();
        using var momentumScalar = momentum.ToScalar();
        using var gradientWeight = (1.0 - options.dampening!.Value).ToScalar();
        using var stepSize = (options.maximize!.Value ? lr : -lr).ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }
            if (weightDecay != 0.0)
            {
                gradient = gradient.add(parameter, decay);
            }
            if (momentum != 0.0)
            {
                var state = (State)_state[parameter.Handle];
                var buffer = state.momentum_buffer;
                if (buffer is null)
                {
                    buffer = state.momentum_buffer = gradient.clone().detach().DetachFromDisposeScope();
                }
                else
                {
                    buffer.mul_(momentumScalar).add_(gradient, gradientWeight);
                }
                gradient = options.nesterov!.Value ? gradient.add(buffer, momentumScalar) : buffer;
            }
            parameter.add_(gradient, stepSize);
        }
    }, closure);
}
