using System.Globalization;
using System.Text.RegularExpressions;

namespace MedSeg.Core.Data;

/// <summary>
/// An nnU-Net v2 raw dataset folder (<c>DatasetXXX_Name/</c>): <c>dataset.json</c>, training images
/// <c>imagesTr/CASE_0000.nii.gz</c> (one file per channel) with label maps <c>labelsTr/CASE.nii.gz</c>, and optional
/// test images <c>imagesTs/</c>. An image may also be a DICOM series: a folder <c>imagesTr/CASE_0000/</c> of its
/// slices (or a folder listed in dataset.json's <c>dataset</c>). Loading checks names and completeness only; voxels
/// are read per case.
/// </summary>
public sealed partial class NnUnetDataset
{
    private NnUnetDataset(string root, NnUnetDatasetInfo info, IReadOnlyList<NnUnetCase> training, IReadOnlyList<NnUnetCase> test)
    {
        Root = root;
        Info = info;
        TrainingCases = training;
        TestCases = test;
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Root { get; }

    public NnUnetDatasetInfo Info { get; }

    /// <summary>Foreground class names; class k is label value k.</summary>
    public IReadOnlyList<string> Classes => Info.Classes;

    /// <summary>Cases with label maps, ordered by id.</summary>
    public IReadOnlyList<NnUnetCase> TrainingCases { get; }

    /// <summary>Cases of imagesTs (no label maps), ordered by id.</summary>
    public IReadOnlyList<NnUnetCase> TestCases { get; }

    /// <summary>Training cases, then test cases.</summary>
    public IReadOnlyList<NnUnetCase> Cases => [.. TrainingCases, .. TestCases];

    /// <summary>Loads the dataset folder <paramref name="root"/>.</summary>
    /// <exception cref="MedSegException">A missing folder, dataset.json problem, misnamed, missing or extra file, a count that disagrees with numTraining, or a path outside the folder.</exception>
    public static NnUnetDataset Load(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new MedSegException($"The nnU-Net dataset folder {root} does not exist; pass the DatasetXXX_Name folder that holds dataset.json.");
        }
        string jsonPath = Path.Combine(full, "dataset.json");
        if (!File.Exists(jsonPath))
        {
            throw new MedSegException($"{full} has no dataset.json; an nnU-Net dataset folder holds dataset.json, imagesTr/ and labelsTr/.");
        }
        var info = NnUnetDatasetInfo.Read(jsonPath);
        var (training, test) = info.Files is null ? FindByName(full, info) : FromJson(full, jsonPath, info);
        if (training.Count != info.NumTraining)
        {
            throw new MedSegException(
                $"{jsonPath} says numTraining {info.NumTraining} but the dataset has {training.Count} training case(s); set numTraining to {training.Count} or add the missing cases.");
        }
        return new NnUnetDataset(full, info, training, test);
    }

    /// <summary>Whether <paramref name="path"/> is an nnU-Net dataset folder (it holds dataset.json).</summary>
    public static bool IsDatasetFolder(string path) => File.Exists(Path.Combine(path, "dataset.json"));

    /// <summary>Whether <paramref name="id"/> is a safe case id: letters, digits, '_', '-' and '.', starting with a letter or digit.</summary>
    public static bool IsValidCaseId(string id) => CaseIdPattern().IsMatch(id);

    private static (List<NnUnetCase> Training, List<NnUnetCase> Test) FindByName(string root, NnUnetDatasetInfo info)
    {
        string imagesTr = Path.Combine(root, "imagesTr"), labelsTr = Path.Combine(root, "labelsTr"), imagesTs = Path.Combine(root, "imagesTs");
        if (!Directory.Exists(imagesTr))
        {
            throw new MedSegException($"{root} has no imagesTr/ folder; an nnU-Net dataset keeps its training images in imagesTr/CASE_0000{info.FileEnding}.");
        }
        var trainingImages = ScanImages(imagesTr, info);
        var labels = Directory.Exists(labelsTr) ? ScanLabels(labelsTr, info.FileEnding) : [];
        var training = new List<NnUnetCase>();
        foreach (var (id, paths) in trainingImages)
        {
            if (!labels.Remove(id, out string? label))
            {
                throw new MedSegException(
                    $"Training case {id} has images in {imagesTr} but no label map {Path.Combine(labelsTr, id + info.FileEnding)}; add the label map or move the images to imagesTs/.");
            }
            training.Add(new NnUnetCase(id, paths, label, info.Labels.Count));
        }
        if (labels.Count > 0)
        {
            var (id, path) = labels.First();
            throw new MedSegException($"Label map {path} has no image {Path.Combine(imagesTr, id + "_0000" + info.FileEnding)}; add the image or remove the label map.");
        }
        var test = Directory.Exists(imagesTs)
            ? ScanImages(imagesTs, info).Select(c => new NnUnetCase(c.Key, c.Value, null, info.Labels.Count)).ToList()
            : [];
        return (training, test);
    }

    /// <summary>The cases of an image folder by id (ordinal order), each with one path per channel.</summary>
    private static SortedDictionary<string, string[]> ScanImages(string folder, NnUnetDatasetInfo info)
    {
        int channels = info.ChannelNames.Count;
        var cases = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        var seriesFolders = Directory.EnumerateDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Select(d => (Path: d, Stem: Path.GetFileName(d)));
        foreach (var (file, stem) in VisibleFiles(folder, info.FileEnding).Select(f => (f, Path.GetFileName(f)[..^info.FileEnding.Length])).Concat(seriesFolders))
        {
            var match = ChannelPattern().Match(stem);
            if (!match.Success)
            {
                throw new MedSegException(
                    $"Image {file} is not named CASE_XXXX{info.FileEnding} with a four-digit channel number (e.g. {stem}_0000{info.FileEnding}); rename it.");
            }
            string id = match.Groups[1].Value;
            int channel = int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            if (channel >= channels)
            {
                throw new MedSegException(
                    $"Image {file} is channel {channel} but dataset.json lists {channels} channel(s) in channel_names; add the channel to channel_names or remove the file.");
            }
            if (!cases.TryGetValue(id, out var paths))
            {
                paths = new string[channels];
                cases.Add(id, paths);
            }
            paths[channel] = file;
        }
        foreach (var (id, paths) in cases)
        {
            int missing = Array.IndexOf(paths, null);
            if (missing >= 0)
            {
                throw new MedSegException(
                    $"Case {id} in {folder} has no image for channel {missing} ({info.ChannelNames[missing]}): {Path.Combine(folder, $"{id}_{missing:D4}{info.FileEnding}")} is missing; add it.");
            }
        }
        return cases;
    }

    private static Dictionary<string, string> ScanLabels(string folder, string ending)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in VisibleFiles(folder, ending))
        {
            labels.Add(Path.GetFileName(file)[..^ending.Length], file);
        }
        return labels;
    }

    /// <summary>The files of <paramref name="folder"/> except hidden ones; any without <paramref name="ending"/> is an error.</summary>
    private static IEnumerable<string> VisibleFiles(string folder, string ending)
    {
        foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }
            // With the ending ".nii", a ".nii.gz" file is a mismatch too.
            if (!name.EndsWith(ending, StringComparison.Ordinal) || name.Length == ending.Length
                || (ending == ".nii" && name.EndsWith(".nii.gz", StringComparison.Ordinal)))
            {
                throw new MedSegException(
                    $"File {file} does not end in {ending}, the file_ending of dataset.json; convert or remove it (every file here must be an image named for its case).");
            }
            yield return file;
        }
    }

    private static (List<NnUnetCase> Training, List<NnUnetCase> Test) FromJson(string root, string jsonPath, NnUnetDatasetInfo info)
    {
        var training = new List<NnUnetCase>();
        var test = new List<NnUnetCase>();
        foreach (var (id, files) in info.Files!.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            if (!IsValidCaseId(id))
            {
                throw new MedSegException(
                    $"{jsonPath} has case id \"{id}\", which could name a file outside the output folder; use only letters, digits, '_', '-' and '.', starting with a letter or digit.");
            }
            var images = files.Images.Select((p, c) => Inside(root, jsonPath, id, p, $"image of channel {c}")).ToArray();
            string? label = files.Label is null ? null : Inside(root, jsonPath, id, files.Label, "label map");
            (label is null ? test : training).Add(new NnUnetCase(id, images, label, info.Labels.Count));
        }
        return (training, test);
    }

    /// <summary>The full path of a file listed in dataset.json, which must exist inside the dataset folder.</summary>
    private static string Inside(string root, string jsonPath, string id, string relative, string what)
    {
        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new MedSegException(
                $"{jsonPath} gives case \"{id}\" the {what} '{relative}', which lies outside the dataset folder {root}; keep every file inside the dataset folder.");
        }
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            throw new MedSegException($"{jsonPath} gives case \"{id}\" the {what} {full}, which does not exist; add the file or fix the path.");
        }
        return full;
    }

    [GeneratedRegex(@"^(.+)_([0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseIdPattern();
}
