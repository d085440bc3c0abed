using MedSeg.Torch.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// What differs between kinds of training (2D / 2.5D slice segmentation, 3D patch segmentation, slice
/// classification): the samples of an epoch, the network, how a batch is built, the loss, validation and the
/// out-of-fold output. <see cref="Trainer"/> owns everything else (optimiser, schedule, accumulation, EMA,
/// checkpoints, early stopping, logging), so every task gets the same loop — nnU-Net's hooks, not its trainer file.
/// </summary>
public interface ITrainingTask
{
    /// <summary>The classes the network predicts, in output-channel order.</summary>
    IReadOnlyList<string> Classes { get; }

    /// <summary>Samples in one epoch (slices, or patches); <see cref="Batch"/> takes positions in 0…count-1.</summary>
    int SampleCount { get; }

    /// <summary>One line saying what is trained and validated, for the progress output.</summary>
    string Description { get; }

    /// <summary>A new network with fresh weights (seeded by the trainer before the call).</summary>
    nn.Module<Tensor, Tensor> CreateModel();

    /// <summary>
    /// The CPU tensors of one batch: <paramref name="samples"/> are sample positions; random draws (augmentation,
    /// patch positions) derive from the run's seed and <paramref name="stream"/> + the position in the batch, so a
    /// batch is the same whichever thread builds it and whenever.
    /// </summary>
    TrainingBatch Batch(IReadOnlyList<int> samples, long stream);

    /// <summary>
    /// The batches of one epoch in <paramref name="plan"/> order, each equal to <see cref="Batch"/> of its samples and
    /// stream; a task may build them ahead on loader threads. The default builds each one when it is taken.
    /// </summary>
    IBatchLoader<TrainingBatch> Batches(IReadOnlyList<BatchPlan> plan) =>
        new BatchLoader<BatchPlan, TrainingBatch>(plan.Count, (b, _) => plan[b], p => Batch(p.Samples, p.Stream), LoaderOptions.Synchronous);

    /// <summary>The scalar loss of <paramref name="model"/> on <paramref name="batch"/> (already on the model's device).</summary>
    Tensor Loss(nn.Module<Tensor, Tensor> model, TrainingBatch batch);

    /// <summary>Validation on the held-out fold; higher <see cref="ValidationResult.Score"/> is better.</summary>
    ValidationResult Validate(nn.Module<Tensor, Tensor> model, Device device);

    /// <summary>Writes the best model's out-of-fold predictions of the validation fold into <paramref name="folder"/>.</summary>
    void WriteOutOfFold(nn.Module<Tensor, Tensor> model, string folder, Device device);

    /// <summary>
    /// For a run without a held-out fold, which has no prediction to score: the post-processing decided on the shapes
    /// of the training labels, written into <paramref name="runPath"/>. Tasks without per-class clean-up write nothing.
    /// </summary>
    void DecidePostProcessingOnLabels(string runPath)
    {
    }
}
