using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// An exponential moving average of a model's weights (ema ← d·ema + (1 − d)·w after every optimiser step; buffers
/// such as BatchNorm statistics are copied), validated and saved in place of the raw weights when enabled.
/// </summary>
public sealed class ModelEma : IDisposable
{
    private readonly double decay;
    private readonly HashSet<string> parameterNames;

    public nn.Module<Tensor, Tensor> Model { get; }

    public ModelEma(nn.Module<Tensor, Tensor> source, Func<nn.Module<Tensor, Tensor>> create, double decay, Device device)
    {
        this.decay = decay;
        parameterNames = source.named_parameters().Select(p => p.name).ToHashSet();
        Model = create();
        Model.to(device);
        Model.load_state_dict(source.state_dict());
        Model.eval();
    }

    public void Update(nn.Module<Tensor, Tensor> source)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Scalars held in locals: a temporary one could be finalized during the native call (see Optimizers.AdamW).
        using var keep = decay.ToScalar();
        using var blend = (1 - decay).ToScalar();
        var averaged = Model.state_dict();
        foreach (var (name, value) in source.state_dict())
        {
            var target = averaged[name];
            if (parameterNames.Contains(name))
            {
                target.mul_(keep).add_(value, blend);
            }
            else
            {
                target.copy_(value);
            }
        }
    }

    public void Dispose() => Model.Dispose();
}
