namespace MedSeg.Torch.Training;

/// <summary>What the trainer's loop needs of the data: the task (samples, network, loss, validation) and what <c>run.json</c> records.</summary>
public sealed record TrainingSetup(ITrainingTask Task, RunInfo Info);
