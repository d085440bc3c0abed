using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>Builds the optimiser a config names: <c>adamw</c> or <c>sgd</c> (momentum 0.99, Nesterov, as nnU-Net).</summary>
public static class OptimizerFactory
{
    public static readonly string[] Names = ["adamw", "sgd"];

    public static OptimizerHelper Create(string name, IEnumerable<Parameter> parameters, double lr, double weightDecay) => name switch
    {
        "adamw" => new Optimizers.AdamW(parameters, lr, weightDecay),
        "sgd" => new Optimizers.SGD(parameters, lr, momentum: 0.99, weightDecay, nesterov: true),
        _ => throw new MedSegException($"--optimizer {name} is unknown; valid: {string.Join(", ", Names)}."),
    };
}
