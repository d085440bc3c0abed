using MedSeg.Core.Data;
using MedSeg.Torch.Losses;

namespace MedSeg.Torch.Training;

/// <summary>How the trainer sets up runs on a folder dataset (<see cref="FolderSegmentationTask"/>, split by <see cref="FolderSplit"/>).</summary>
public static class FolderTraining
{
    /// <summary>
    /// Checks every training and validation image and mask of <paramref name="data"/> now (<see cref="FolderSurvey"/>),
    /// then gives the setup of a run for any (fold) config.
    /// </summary>
    /// <exception cref="Core.MedSegException">A broken image or mask, a class index not in classes.txt, or RGB and gray images mixed.</exception>
    public static Func<TrainConfig, TrainingSetup> Setup(FolderLayout data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var labelled = (data.Whole ?? data.Train)!.Items.Concat(data.Validation?.Items ?? []).ToArray();
        var survey = FolderSurvey.Of(labelled, data.Labels);
        return config =>
        {
            config.Validate(LossMode.Multiclass);
            var split = FolderSplit.Of(data, config);
            return new TrainingSetup(new FolderSegmentationTask(survey, config, split), new RunInfo
            {
                Classes = survey.Classes,
                MedSegVersion = VersionInfo.MedSeg,
                TorchSharpVersion = VersionInfo.TorchSharp,
                LibTorchVersion = VersionInfo.LibTorch,
                Device = config.Device,
                TrainCaseDays = split.Train.Select(i => i.Id).ToArray(),
                ValidationCaseDays = split.Validation.Select(i => i.Id).ToArray(),
                Multiclass = true,
                ImageChannels = survey.Channels,
            });
        };
    }
}
