namespace MedSeg.Torch.Training;

/// <summary>
/// What the trainer's loop needs of the data: the task (samples, network, loss, validation), what <c>run.json</c>
/// records, and the config as completed from the data (e.g. the image channels) that <c>config.json</c> records.
/// </summary>
public sealed record TrainingSetup(ITrainingTask Task, RunInfo Info, TrainConfig Config);
