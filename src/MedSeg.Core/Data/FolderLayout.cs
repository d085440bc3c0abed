namespace MedSeg.Core.Data;

/// <summary>
/// A 2-D folder dataset as train, predict and evaluate take it: one <see cref="FolderDataset"/> (<c>images/</c> and
/// <c>masks/</c>), or CamVid's split into <c>train/</c>, <c>val/</c> and <c>test/</c> sub-folders, each holding
/// <c>images/</c> and <c>masks/</c>, with one <c>classes.txt</c> beside them (or inside <c>train/</c>). Only
/// <c>train/</c> is required in the split form; a sub-folder without <c>masks/</c> is unlabelled.
/// </summary>
public sealed class FolderLayout
{
    /// <summary>The sub-folder names of the split form, in the order train, validation, test.</summary>
    public static IReadOnlyList<string> SplitNames { get; } = ["train", "val", "test"];

    private FolderLayout(string root, FolderDataset? whole, FolderDataset? train, FolderDataset? validation, FolderDataset? test)
    {
        Root = root;
        Whole = whole;
        Train = train;
        Validation = validation;
        Test = test;
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Root { get; }

    /// <summary>The dataset when it is not split into sub-folders.</summary>
    public FolderDataset? Whole { get; }

    /// <summary><c>train/</c> of the split form.</summary>
    public FolderDataset? Train { get; }

    /// <summary><c>val/</c> of the split form, when present.</summary>
    public FolderDataset? Validation { get; }

    /// <summary><c>test/</c> of the split form, when present.</summary>
    public FolderDataset? Test { get; }

    /// <summary>Whether the dataset comes split into train/ (val/, test/) sub-folders.</summary>
    public bool IsSplit => Train is not null;

    /// <summary>Class names from classes.txt (index 0 = background), or null without that file.</summary>
    public IReadOnlyList<string>? Labels => (Whole ?? Train)!.Labels;

    /// <summary>The images prediction segments by default: <c>test/</c>, else <c>val/</c>, else <c>train/</c> of the split form; every image otherwise.</summary>
    public FolderDataset PredictionSet => Whole ?? Test ?? Validation ?? Train!;

    /// <summary>Every part that holds images, the ones prediction would take first (test, val, train; or the whole dataset).</summary>
    public IReadOnlyList<FolderDataset> Parts =>
        Whole is not null ? [Whole] : new[] { Test, Validation, Train }.OfType<FolderDataset>().ToArray();

    /// <summary>Whether <paramref name="path"/> is a folder dataset in either form (it holds images/ or train/images/).</summary>
    public static bool IsDatasetFolder(string path) =>
        Directory.Exists(Path.Combine(path, "images")) || Directory.Exists(Path.Combine(path, SplitNames[0], "images"));

    /// <summary>Loads the dataset folder <paramref name="path"/> (names only; see <see cref="FolderDataset.Load(string, string?)"/>).</summary>
    /// <exception cref="MedSegException">It is neither form, or a part is broken (see <see cref="FolderDataset.Load(string, string?)"/>).</exception>
    public static FolderLayout Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string root = Path.GetFullPath(path);
        if (Directory.Exists(Path.Combine(root, "images")))
        {
            return new FolderLayout(root, FolderDataset.Load(root), null, null, null);
        }
        if (!Directory.Exists(Path.Combine(root, SplitNames[0], "images")))
        {
            throw new MedSegException(
                $"{root} is not a folder dataset: it holds neither images/ (with masks/) nor train/images/ (with train/masks/, and optionally val/ and test/).");
        }
        string? classes = new[] { Path.Combine(root, FolderDataset.ClassesFile), Path.Combine(root, SplitNames[0], FolderDataset.ClassesFile) }
            .FirstOrDefault(File.Exists);
        FolderDataset? Part(string name)
        {
            string folder = Path.Combine(root, name);
            return Directory.Exists(folder) ? FolderDataset.Load(folder, classes) : null;
        }
        var train = Part(SplitNames[0])!;
        if (!train.HasMasks)
        {
            throw new MedSegException($"{train.Root} has no masks/ folder; the train/ part of a split folder dataset must be labelled.");
        }
        return new FolderLayout(root, null, train, Part(SplitNames[1]), Part(SplitNames[2]));
    }
}
