using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// Dynamic loss scaling for float16 training (PyTorch's <c>GradScaler</c>): the loss is multiplied by
/// <see cref="Scale"/> before backward so small float16 gradients do not flush to zero; before the optimiser step the
/// gradients are divided by it again. A step whose gradients hold an inf or NaN is skipped and the scale halved;
/// after <see cref="GrowthInterval"/> good steps in a row it doubles. The state (scale, good steps) goes into the
/// resume point, so a resumed run continues exactly.
/// </summary>
public sealed class LossScaler
{
    public const double InitialScale = 65536;
    public const int DefaultGrowthInterval = 2000;

    public LossScaler(double scale = InitialScale, int goodSteps = 0, int growthInterval = DefaultGrowthInterval)
    {
        Scale = scale;
        GoodSteps = goodSteps;
        GrowthInterval = growthInterval;
    }

    /// <summary>Good steps in a row after which the scale doubles (PyTorch's default 2000).</summary>
    public int GrowthInterval { get; }

    /// <summary>The factor the loss is multiplied by.</summary>
    public double Scale { get; private set; }

    /// <summary>Steps with finite gradients since the scale last changed.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Optimiser steps skipped because of non-finite gradients.</summary>
    public int SkippedSteps { get; private set; }

    /// <summary>The loss to call backward on.</summary>
    public Tensor ScaleLoss(Tensor loss) => loss * Scale;

    /// <summary>
    /// Unscales the gradients of <paramref name="parameters"/>; when all are finite, clips them to
    /// <paramref name="gradClip"/> (0 = off) and steps <paramref name="optimizer"/>. Updates the scale either way.
    /// Returns whether the step was taken.
    /// </summary>
    public bool Step(OptimizerHelper optimizer, IReadOnlyList<Parameter> parameters, double gradClip)
    {
        using var scope = NewDisposeScope();
        var finite = true;
        using var scale = Scale.ToScalar(); // held, not temporary: see Optimizers.AdamW
        foreach (var gradient in parameters.Select(p => p.grad).OfType<Tensor>())
        {
            gradient.div_(scale);
            finite &= gradient.isfinite().all().item<bool>();
        }
        if (!finite)
        {
            Scale /= 2;
            GoodSteps = 0;
            SkippedSteps++;
            return false;
        }
        if (gradClip > 0)
        {
            nn.utils.clip_grad_norm_(parameters, gradClip);
        }
        optimizer.step();
        if (++GoodSteps == GrowthInterval)
        {
            Scale *= 2;
            GoodSteps = 0;
        }
        return true;
    }
}
