using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace MedSeg.Torch.Training.Optimizers;

/// <summary>
/// TorchSharp's <see cref="TorchSharp.Modules.AdamW"/> under the same type name (same options, state and saved
/// state format: run folders saved by either load in the other) with a step whose scalar arguments
/// stay alive for the whole native call. TorchSharp 0.107's step passes temporary <see cref="Scalar"/>s
/// (<c>mul_(beta1)</c>, <c>add_(grad, 1 - beta1)</c>, …) that a garbage collection on another thread (the data
/// loader's) can finalize while libtorch still reads them: a silently wrong update or a crash, under load only.
/// The arithmetic is PyTorch's AdamW, operation for operation, so results equal TorchSharp's bit for bit.
/// </summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    public AdamW(IEnumerable<Parameter> parameters, double lr, double weightDecay)
        : base(parameters, lr, weight_decay: weightDecay)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        using var decay = (1.0 - lr * options.weight_decay!.Value).ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var gradientWeight = (1.0 - beta1).ToScalar();
        using var squareWeight = (1.0 - beta2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        using var one = 1.ToScalar();
        foreach (var parameter in group.Parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }
            if (options.maximize!.Value)
            {
                gradient = -gradient;
            }
            var state = (State)_state[parameter.Handle];
            state.step++;
            parameter.mul_(decay);
            var biasCorrection1 = 1.0 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1.0 - Math.Pow(beta2, state.step);
            state.exp_avg.mul_(beta1Scalar).add_(gradient, gradientWeight);
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(gradient, gradient, squareWeight);
            var second = state.exp_avg_sq;
            if (options.amsgrad!.Value)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                second = state.max_exp_avg_sq;
            }
            using var correction = Math.Sqrt(biasCorrection2).ToScalar();
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            var denominator = second.sqrt().div_(correction).add_(eps, one);
            parameter.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
