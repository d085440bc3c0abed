using MedSeg.Core.Preprocessing;

namespace MedSeg.Core.Data;

/// <summary>
/// A UW-Madison GI-tract data folder (Kaggle layout): <c>train.csv</c> (<c>id,class,segmentation</c>) with images
/// under <c>train/caseN/caseN_dayM/scans/</c>, or images alone under <c>test/</c> (or <c>train/</c>). Loading reads
/// the CSV and file names only; pixels and masks are read on demand from each <see cref="UwSlice"/>.
/// </summary>
public sealed class UwMadisonDataset
{
    private UwMadisonDataset(string root, IReadOnlyList<string> classes, bool hasLabels, IReadOnlyList<UwCaseDay> caseDays)
    {
        Root = root;
        Classes = classes;
        HasLabels = hasLabels;
        CaseDays = caseDays;
        Slices = caseDays.SelectMany(c => c.Slices).ToArray();
    }

    /// <summary>Full path of the data folder.</summary>
    public string Root { get; }

    /// <summary>Class names: those of train.csv in order of first appearance, or the list given to <see cref="Load"/>.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>Whether masks exist (the folder has a train.csv).</summary>
    public bool HasLabels { get; }

    /// <summary>Case-days ordered by case number, then day number.</summary>
    public IReadOnlyList<UwCaseDay> CaseDays { get; }

    /// <summary>All slices, case-day by case-day in <see cref="CaseDays"/> order.</summary>
    public IReadOnlyList<UwSlice> Slices { get; }

    /// <summary>Number of slices in all case-days.</summary>
    public int SliceCount => Slices.Count;

    /// <summary>
    /// Loads the folder <paramref name="root"/>. With train.csv, every CSV id must have an image; slices whose image
    /// has no CSV row get empty masks, and a class row missing for a slice means an empty mask of that class.
    /// <paramref name="classes"/> fixes the class list (required order for predictions; with train.csv every CSV
    /// class must be in it); without train.csv it is the class list of the unlabelled dataset.
    /// </summary>
    /// <exception cref="MedSegException">The folder is missing, or the CSV or the folder layout is broken (the message names the file and line).</exception>
    public static UwMadisonDataset Load(string root, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root))
        {
            throw new MedSegException($"The data folder {root} does not exist; pass the folder that holds train.csv and train/ (or test/).");
        }
        string full = Path.GetFullPath(root);
        string csvPath = Path.Combine(full, "train.csv");
        if (File.Exists(csvPath))
        {
            string trainFolder = Path.Combine(full, "train");
            var labels = UwTrainCsv.Read(csvPath, classes);
            var images = Directory.Exists(trainFolder) ? UwImageFolder.Scan(trainFolder) : [];
            foreach (var (id, entry) in labels.Entries)
            {
                if (!images.ContainsKey(id))
                {
                    string scans = Path.Combine(trainFolder, $"case{id.Case}", id.CaseDayId, "scans");
                    throw new MedSegException(
                        $"{csvPath} line {entry.FirstLine} names {id} but {scans} has no slice_{id.Slice:D4}_W_H_SX_SY.png image for it; add the image or remove the rows of that id.");
                }
            }
            string[] noRles = EmptyRles(labels.Classes.Count);
            int[] noLines = new int[labels.Classes.Count];
            return Build(full, labels.Classes, true, images.Values, (image, intensity) =>
            {
                if (labels.Entries.TryGetValue(image.Id, out var entry))
                {
                    return new UwSlice(image.Id, image.Path, image.FileName, Array.ConvertAll(entry.Rles, r => r ?? string.Empty), csvPath, entry.Lines, intensity);
                }
                return new UwSlice(image.Id, image.Path, image.FileName, noRles, csvPath, noLines, intensity);
            });
        }

        string imageFolder = Path.Combine(full, "test");
        if (!Directory.Exists(imageFolder))
        {
            imageFolder = Path.Combine(full, "train");
        }
        if (!Directory.Exists(imageFolder))
        {
            throw new MedSegException(
                $"The data folder {full} has no train.csv and no test/ or train/ folder of images; pass a UW-Madison data folder.");
        }
        var unlabelled = UwImageFolder.Scan(imageFolder);
        return Build(full, classes?.ToArray() ?? [], false, unlabelled.Values,
            (image, intensity) => new UwSlice(image.Id, image.Path, image.FileName, [], null, [], intensity));
    }

    private static UwMadisonDataset Build(
        string root, IReadOnlyList<string> classes, bool hasLabels, IEnumerable<UwImageFolder.Image> images,
        Func<UwImageFolder.Image, IntensityMapping?, UwSlice> makeSlice)
    {
        var caseDays = images
            .GroupBy(image => (image.Id.Case, image.Id.Day))
            .OrderBy(g => g.Key.Case)
            .ThenBy(g => g.Key.Day)
            .Select(g =>
            {
                // A case-day preprocessed from NIfTI keeps its intensity mapping beside scans/.
                var intensity = IntensityMapping.Load(Path.GetDirectoryName(Path.GetDirectoryName(g.First().Path))!);
                return new UwCaseDay(g.Key.Case, g.Key.Day, g.OrderBy(image => image.Id.Slice).Select(image => makeSlice(image, intensity)).ToArray());
            })
            .ToArray();
        return new UwMadisonDataset(root, classes, hasLabels, caseDays);
    }

    private static string[] EmptyRles(int count)
    {
        var rles = new string[count];
        Array.Fill(rles, string.Empty);
        return rles;
    }
}
