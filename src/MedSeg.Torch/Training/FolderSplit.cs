using MedSeg.Core;
using MedSeg.Core.Data;

namespace MedSeg.Torch.Training;

/// <summary>
/// The images a folder-dataset run trains on and validates on: <c>train/</c> and <c>val/</c> when the dataset comes
/// split into them (CamVid's form), otherwise K-fold over the images (<c>--folds N --fold K</c>, each image its own
/// group), or with <c>--folds 1</c> every image, <see cref="HeldOut"/> false and validation (when asked for) on them all.
/// </summary>
/// <param name="FromSubfolders">True when train/ and val/ made the split (not folds).</param>
public sealed record FolderSplit(IReadOnlyList<FolderItem> Train, IReadOnlyList<FolderItem> Validation, bool HeldOut = true, bool FromSubfolders = false)
{
    /// <exception cref="MedSegException">Fewer images than folds, an unlabelled val/, or <c>--fold all</c> on a dataset whose val/ fixes the split.</exception>
    public static FolderSplit Of(FolderLayout layout, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(config);
        if (layout.Validation is { } validation)
        {
            if (!validation.HasMasks)
            {
                throw new MedSegException($"{validation.Root} has no masks/ folder; validation needs masks (or remove val/ to split train/ into folds).");
            }
            if (config.Fold == "all")
            {
                throw new MedSegException($"{layout.Root} comes split into train/ and val/, which fixes the validation images; drop --fold all (or remove val/ to train one run per fold).");
            }
            return new FolderSplit(layout.Train!.Items, validation.Items, FromSubfolders: true);
        }
        var items = (layout.Whole ?? layout.Train)!.Items;
        if (config.Folds == 1)
        {
            return new FolderSplit(items, items, HeldOut: false);
        }
        if (items.Count < config.Folds)
        {
            throw new MedSegException($"--folds {config.Folds} needs at least {config.Folds} images, but {layout.Root} has {items.Count}; use fewer folds (--folds 1 trains on all of them).");
        }
        var fold = int.Parse(config.Fold, System.Globalization.CultureInfo.InvariantCulture);
        var assigned = GroupKFold.AssignFolds(items.Select(i => i.Id).ToArray(), config.Folds, config.Seed);
        return new FolderSplit(items.Where((_, i) => assigned[i] != fold).ToArray(), items.Where((_, i) => assigned[i] == fold).ToArray());
    }
}
