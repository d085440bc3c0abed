using System.Text.RegularExpressions;
using MedSeg.Core.Data;
using MedSeg.Core.Dicom;

namespace MedSeg.Core.Inspection;

/// <summary>Names of <see cref="DatasetFormat"/> on the command line and in JSON, and recognition of a folder's layout.</summary>
public static partial class DatasetFormats
{
    /// <summary>The command-line names, in <see cref="DatasetFormat"/> order: auto, uwmgi, nnunet, folder, dicom.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "uwmgi", "nnunet", "folder", "dicom"];

    private const string Layouts =
        "uwmgi (train.csv and train/caseN/caseN_dayM/scans/*.png, or test/), nnunet (dataset.json with imagesTr/ and labelsTr/), folder (images/ and masks/, or train/, val/, test/ each holding them) or dicom (DICOM series, one file per slice)";

    /// <summary>The name of a format (<c>uwmgi</c>, <c>nnunet</c>, <c>folder</c>, <c>auto</c>).</summary>
    public static string Name(DatasetFormat format) => Names[(int)format];

    /// <summary>The format named <paramref name="name"/> on the command line.</summary>
    /// <exception cref="MedSegException">Not one of <see cref="Names"/>.</exception>
    public static DatasetFormat Parse(string name)
    {
        int index = Names.ToList().IndexOf(name);
        return index >= 0
            ? (DatasetFormat)index
            : throw new MedSegException($"--format {name} is not a dataset format; valid: {string.Join(", ", Names)}.");
    }

    /// <summary>Recognises the layout of the folder <paramref name="root"/> from the files it holds.</summary>
    /// <exception cref="MedSegException">The folder is missing, fits no layout, or fits several.</exception>
    public static DatasetFormat Detect(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (File.Exists(root))
        {
            throw new MedSegException($"{root} is a file, but inspect reads a dataset folder; pass the folder that holds it (for a DICOM file, its series' folder).");
        }
        if (!Directory.Exists(root))
        {
            throw new MedSegException($"The data folder {root} does not exist; pass a dataset folder in one of the layouts {Layouts}.");
        }
        var found = new List<DatasetFormat>();
        if (File.Exists(Path.Combine(root, "train.csv")) || HasCaseFolders(Path.Combine(root, "train")) || HasCaseFolders(Path.Combine(root, "test")))
        {
            found.Add(DatasetFormat.UwMadison);
        }
        if (NnUnetDataset.IsDatasetFolder(root))
        {
            found.Add(DatasetFormat.NnUnet);
        }
        if (FolderLayout.IsDatasetFolder(root))
        {
            found.Add(DatasetFormat.Folder);
        }
        if (found.Count == 0 && DicomFolder.Holds(root))
        {
            found.Add(DatasetFormat.Dicom);
        }
        if (found.Count == 1)
        {
            return found[0];
        }
        if (found.Count > 1)
        {
            throw new MedSegException(
                $"The data folder {root} fits several layouts ({string.Join(", ", found.Select(Name))}); choose one with --format.");
        }
        var nested = Directory.EnumerateDirectories(root)
            .Where(d => DatasetFolderPattern().IsMatch(Path.GetFileName(d)) && File.Exists(Path.Combine(d, "dataset.json")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList();
        string hint = nested.Count > 0 ? $"; it holds the nnU-Net dataset folder(s) {string.Join(", ", nested)}, so pass one of those" : "";
        throw new MedSegException($"The data folder {root} fits none of the layouts {Layouts}{hint}.");
    }

    private static bool HasCaseFolders(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateDirectories(folder).Any(d => CaseFolderPattern().IsMatch(Path.GetFileName(d)));

    [GeneratedRegex(@"^case[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CaseFolderPattern();

    [GeneratedRegex(@"^Dataset[0-9]{3}_.+$", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetFolderPattern();
}
