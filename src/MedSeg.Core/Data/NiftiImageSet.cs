using System.Globalization;
using System.Text.RegularExpressions;
using MedSeg.Core.Dicom;

namespace MedSeg.Core.Data;

/// <summary>
/// The NIfTI images that <c>predict --data</c> points at, as unlabelled cases with one file per channel: an nnU-Net
/// dataset folder (its imagesTs, else imagesTr), a single <c>.nii</c> / <c>.nii.gz</c> file, or a plain folder of
/// them. A case id is the file name without <c>.nii</c> / <c>.nii.gz</c> and without an nnU-Net channel suffix
/// <c>_NNNN</c>; files <c>CASE_0000</c>, <c>CASE_0001</c>, … of a folder are the channels of one case, and a single
/// file <c>CASE_0000</c> brings its siblings <c>CASE_0001</c>, … beside it as further channels. DICOM input is a
/// folder of DICOM series (searched recursively, one case per series, see <see cref="DicomCaseIds"/>) or one file of
/// a series (that series, named after its folder); a case's image path is then its series' first file, read through
/// <c>ImageFiles</c>.
/// </summary>
public sealed partial class NiftiImageSet
{
    private static readonly string[] Endings = [".nii.gz", ".nii"];

    private NiftiImageSet(IReadOnlyList<NnUnetCase> cases, string source, IReadOnlyList<string>? classes)
    {
        Cases = cases;
        Source = source;
        Classes = classes;
    }

    /// <summary>The cases, ordered by id.</summary>
    public IReadOnlyList<NnUnetCase> Cases { get; }

    /// <summary>Full path of the file or folder the images came from (an nnU-Net dataset's imagesTs or imagesTr).</summary>
    public string Source { get; }

    /// <summary>The foreground classes of dataset.json for an nnU-Net dataset; null for plain NIfTI files.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Whether <paramref name="path"/> is volume input: a NIfTI file, an nnU-Net dataset folder, a folder holding NIfTI files, or DICOM.</summary>
    public static bool Accepts(string path) =>
        File.Exists(path) ? StemOf(path) is not null || DicomFolder.IsDicomFile(path)
        : Directory.Exists(path) && (NnUnetDataset.IsDatasetFolder(path) || Directory.EnumerateFiles(path).Any(f => StemOf(f) is not null) || DicomFolder.Holds(path));

    /// <summary>The images at <paramref name="path"/> (see the class summary).</summary>
    /// <exception cref="MedSegException">No images, a file that is not NIfTI in a plain folder, two files for one case and channel, or a missing channel file (the message names it).</exception>
    public static NiftiImageSet Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full) && StemOf(full) is null && DicomFolder.IsDicomFile(full))
        {
            return DicomCases([DicomFolder.SeriesAt(full)], Path.GetDirectoryName(full)!);
        }
        if (File.Exists(full))
        {
            var stem = StemOf(full) ?? throw new MedSegException($"--data {path} is not a NIfTI file (.nii or .nii.gz); pass a NIfTI image, a folder of them or a dataset folder.");
            var folder = Path.GetDirectoryName(full)!;
            var ending = Path.GetFileName(full)[stem.Length..];
            var (id, channel) = Split(stem);
            var paths = new List<string> { full };
            if (channel == 0)
            {
                for (var c = 1; File.Exists(ChannelPath(folder, id, c, ending)); c++)
                {
                    paths.Add(ChannelPath(folder, id, c, ending));
                }
            }
            return new NiftiImageSet([new NnUnetCase(id, paths, null, 0)], full, null);
        }
        if (NnUnetDataset.IsDatasetFolder(full))
        {
            var dataset = NnUnetDataset.Load(full);
            var (cases, source) = dataset.TestCases.Count > 0 ? (dataset.TestCases, "imagesTs") : (dataset.TrainingCases, "imagesTr");
            if (cases.Count == 0)
            {
                throw new MedSegException($"--data {path} has no images in imagesTs or imagesTr; add the images to predict.");
            }
            return new NiftiImageSet(cases, Path.Combine(dataset.Root, source), dataset.Classes);
        }
        if (!Directory.Exists(full))
        {
            throw new MedSegException($"--data {path} does not exist; pass a NIfTI image, a folder of them or an nnU-Net dataset folder.");
        }
        if (!Directory.EnumerateFiles(full).Any(f => StemOf(f) is not null) && DicomFolder.Holds(full))
        {
            return DicomCases(DicomFolder.FindSeries(full), full);
        }
        return new NiftiImageSet(ScanFolder(full, path), full, null);
    }

    private static NiftiImageSet DicomCases(IReadOnlyList<DicomSeries> series, string source)
    {
        var ids = DicomCaseIds.Of(series, source);
        return new NiftiImageSet(series.Select((s, i) => new NnUnetCase(ids[i], [s.Slices[0].File], null, 0)).ToArray(), source, null);
    }

    private static List<NnUnetCase> ScanFolder(string folder, string given)
    {
        var channels = new SortedDictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }
            var stem = StemOf(file) ?? throw new MedSegException(
                $"File {file} in --data {given} is not a NIfTI image (.nii or .nii.gz); move it out of the folder, which must hold only the images to segment.");
            var (id, channel) = Split(stem);
            if (!channels.TryGetValue(id, out var files))
            {
                channels.Add(id, files = []);
            }
            if (!files.TryAdd(channel ?? 0, file))
            {
                throw new MedSegException($"Files {files[channel ?? 0]} and {file} are both channel {channel ?? 0} of case {id}; remove one of them.");
            }
        }
        if (channels.Count == 0)
        {
            throw new MedSegException($"--data {given} holds no NIfTI images (.nii or .nii.gz); add the images to segment.");
        }
        var cases = new List<NnUnetCase>();
        foreach (var (id, files) in channels)
        {
            var ending = Path.GetFileName(files.First().Value).EndsWith(".nii.gz", StringComparison.Ordinal) ? ".nii.gz" : ".nii";
            for (var c = 0; c <= files.Keys.Max(); c++)
            {
                if (!files.ContainsKey(c))
                {
                    throw new MedSegException(
                        $"Case {id} in {folder} has channel {files.Keys.Max()} but no image for channel {c}: {ChannelPath(folder, id, c, ending)} is missing; add it.");
                }
            }
            cases.Add(new NnUnetCase(id, files.Values.ToArray(), null, 0));
        }
        return cases;
    }

    /// <summary>The file name of <paramref name="path"/> without its NIfTI ending, or null when it is no NIfTI file.</summary>
    private static string? StemOf(string path)
    {
        var name = Path.GetFileName(path);
        var ending = Endings.FirstOrDefault(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase) && name.Length > e.Length);
        return ending is null ? null : name[..^ending.Length];
    }

    /// <summary>The case id and channel number of a stem <c>CASE_NNNN</c>; the whole stem and null without the suffix.</summary>
    private static (string Id, int? Channel) Split(string stem)
    {
        var match = ChannelSuffix().Match(stem);
        return match.Success ? (match.Groups[1].Value, int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture)) : (stem, null);
    }

    private static string ChannelPath(string folder, string id, int channel, string ending) =>
        Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{id}_{channel:D4}{ending}"));

    [GeneratedRegex(@"^(.+)_([0-9]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelSuffix();
}
