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

    /// <summary>Image channels of every slice (all case-days have the same).</summary>
    public int Channels => CaseDays.Count > 0 ? CaseDays[0].Channels : 1;

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
            return Build(full, labels.Classes, true, images.Values, (image, channels, intensity) =>
            {
                if (labels.Entries.TryGetValue(image.Id, out var entry))
                {
                    return new UwSlice(image.Id, image.Path, image.FileName, Array.ConvertAll(entry.Rles, r => r ?? string.Empty), csvPath, entry.Lines, channels, intensity);
                }
                return new UwSlice(image.Id, image.Path, image.FileName, noRles, csvPath, noLines, channels, intensity);
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
            (image, channels, intensity) => new UwSlice(image.Id, image.Path, image.FileName, [], null, [], channels, intensity));
    }

    private static UwMadisonDataset Build(
        string root, IReadOnlyList<string> classes, bool hasLabels, IEnumerable<UwImageFolder.Image> images,
        Func<UwImageFolder.Image, IReadOnlyList<(string Path, IntensityMapping? Intensity)>, IntensityMapping?, UwSlice> makeSlice)
    {
        var caseDays = images
            .GroupBy(image => (image.Id.Case, image.Id.Day))
            .OrderBy(g => g.Key.Case)
            .ThenBy(g => g.Key.Day)
            .Select(g =>
            {
                // A case-day preprocessed from NIfTI keeps its intensity mapping beside scans/, and further image channels in scans_0001/, ...
                var folder = Path.GetDirectoryName(Path.GetDirectoryName(g.First().Path))!;
                var intensity = IntensityMapping.Load(folder);
                var extra = Enumerable.Range(1, int.MaxValue - 1).TakeWhile(c => Directory.Exists(Path.Combine(folder, ScansFolderOf(c))))
                    .Select(c => (Folder: Path.Combine(folder, ScansFolderOf(c)), Intensity: IntensityMapping.Load(folder, c))).ToArray();
                return new UwCaseDay(g.Key.Case, g.Key.Day, g.OrderBy(image => image.Id.Slice)
                    .Select(image => makeSlice(image, ChannelFiles(image, extra), intensity)).ToArray());
            })
            .ToArray();
        if (caseDays.Length > 0 && caseDays.FirstOrDefault(c => c.Channels != caseDays[0].Channels) is { } other)
        {
            throw new MedSegException(
                $"Case-day {other.Id} of {root} has {other.Channels} image channel(s) but {caseDays[0].Id} has {caseDays[0].Channels}; every case-day needs the same channels (scans/, scans_0001/, ...).");
        }
        return new UwMadisonDataset(root, classes, hasLabels, caseDays);
    }

    /// <summary>The folder of a case-day that holds the slice PNGs of image channel <paramref name="channel"/>: <c>scans</c>, then <c>scans_0001</c>, ...</summary>
    public static string ScansFolderOf(int channel) =>
        channel == 0 ? "scans" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"scans_{channel:D4}");

    /// <summary>The PNG of each further image channel of <paramref name="image"/> (same file name), which must exist.</summary>
    private static (string Path, IntensityMapping? Intensity)[] ChannelFiles(UwImageFolder.Image image, (string Folder, IntensityMapping? Intensity)[] channels) =>
        channels.Select((c, i) =>
        {
            var path = Path.Combine(c.Folder, Path.GetFileName(image.Path));
            return File.Exists(path)
                ? (path, c.Intensity)
                : throw new MedSegException($"Slice {image.Id} has image {image.Path} but no image {path} for channel {i + 1}; add it, or preprocess the dataset again.");
        }).ToArray();

    private static string[] EmptyRles(int count)
    {
        var rles = new string[count];
        Array.Fill(rles, string.Empty);
        return rles;
    }
}
