using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// PyTorch's <c>nn.BatchNorm2d</c> / <c>nn.BatchNorm3d</c> (keys <c>weight</c>, <c>bias</c>, <c>running_mean</c>,
/// <c>running_var</c>, <c>num_batches_tracked</c>, inherited from TorchSharp's <see cref="BatchNorm"/>).
/// MedSeg's own forward because TorchSharp 0.107's increments <c>num_batches_tracked</c> with a temporary
/// <see cref="Scalar"/> that nothing keeps alive during the native call: a garbage collection at that moment lets
/// the finalizer free it first, and libtorch reads freed memory ("argument alpha must not be a floating point
/// number", seen in CI under load). Here the increment uses one scalar that lives as long as the process.
/// </summary>
public sealed class BatchNormalization : BatchNorm
{
    private static readonly Scalar One = 1.ToScalar();

    private readonly int spatialDims;

    public BatchNormalization(long features, int spatialDims = 2, double eps = 1e-5, double momentum = 0.1)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null,
            name: spatialDims == 2 ? "BatchNorm2d" : "BatchNorm3d")
    {
        if (spatialDims is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(spatialDims), spatialDims, "BatchNorm is built for 2 or 3 spatial dimensions.");
        }
        this.spatialDims = spatialDims;
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != spatialDims + 2)
        {
            throw new ArgumentException($"BatchNorm{spatialDims}d expects a {spatialDims + 2}-D input, got {input.ndim}-D.");
        }
    }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var averagingFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(One, One);
            averagingFactor = momentum ?? 1.0 / num_batches_tracked.item<long>();
        }
        var useBatchStatistics = training || (running_mean is null && running_var is null);
        var useRunningStatistics = !training || track_running_stats;
        return nn.functional.batch_norm(input, useRunningStatistics ? running_mean : null, useRunningStatistics ? running_var : null,
            weight, bias, useBatchStatistics, averagingFactor, eps);
    }
}
