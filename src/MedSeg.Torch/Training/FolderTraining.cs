using MedSeg.Core.Data;
using MedSeg.Torch.Losses;

namespace MedSeg.Torch.Training;

/// <summary>How the trainer sets up runs on a folder dataset (<see cref="FolderSegmentationTask"/>, split by <see cref="FolderSplit"/>).</summary>
public static class FolderTraining
{
    /// <summary>
    /// <paramref name="config"/> with <c>--folds</c> fitted to few images (<see cref="TrainingDefaults.FitFolds"/>; a
    /// single image trains with <c>--folds 1</c>) unless val/ fixes the split, and the default augmentation written out
    /// (<see cref="TrainingDefaults.FitAugmentation"/>).
    /// </summary>
    public static TrainConfig FitTo(TrainConfig config, FolderLayout data, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        config = TrainingDefaults.FitAugmentation(config, message);
        return data.Validation is null ? TrainingDefaults.FitFolds(config, (data.Whole ?? data.Train)!.Items.Count, "image", message) : config;
    }

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
            return new TrainingSetup(new FolderSegmentationTask(survey, config, split), RunInfo.Of(config, survey.Classes,
                split.Train.Select(i => i.Id).ToArray(), split.Validation.Select(i => i.Id).ToArray(), split.HeldOut) with
            {
                Multiclass = true,
                ImageChannels = survey.Channels,
            }, config);
        };
    }
}
