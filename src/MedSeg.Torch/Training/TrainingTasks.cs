using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>Picks the <see cref="ITrainingTask"/> a config asks for: a classification run, or its mode.</summary>
public static class TrainingTasks
{
    public static ITrainingTask Create(UwMadisonDataset data, TrainConfig config, FoldSplit split) =>
        TrainingNetworks.IsClassifier(config)
            ? new SlicePresenceTask(data.Classes, config, split)
            : new SliceSegmentationTask(data.Classes, config, split);
}
