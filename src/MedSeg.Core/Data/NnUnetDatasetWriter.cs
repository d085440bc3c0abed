using MedSeg.Core.IO;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Data;

/// <summary>
/// Writes a new nnU-Net v2 raw dataset folder: each case's channels as <c>imagesTr/CASE_0000.nii.gz</c>, ... (float32)
/// with its label map <c>labelsTr/CASE.nii.gz</c> (uint8/int16), or under <c>imagesTs/</c> when it has none (or when it
/// is held out: its truth then goes to <c>labelsTs/</c>, which training never reads and <c>evaluate</c> does); then
/// <c>dataset.json</c>. Everything goes into a temporary folder that <see cref="Commit"/> renames into place, so a
/// failed or abandoned write leaves nothing. <see cref="AddCase"/> may be called from several threads.
/// </summary>
public sealed class NnUnetDatasetWriter : IDisposable
{
    private readonly AtomicFolder _folder;
    private readonly NnUnetDatasetInfo _info;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private int _training;

    /// <summary>Starts the dataset <paramref name="datasetFolder"/> (which must not exist or be empty); <see cref="NnUnetDatasetInfo.NumTraining"/> of <paramref name="info"/> is replaced by the count of training cases added.</summary>
    /// <exception cref="MedSegException">The folder is a file or not empty, or the file ending is not NIfTI.</exception>
    public NnUnetDatasetWriter(string datasetFolder, NnUnetDatasetInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!NnUnetDatasetInfo.SupportedFileEndings.Contains(info.FileEnding))
        {
            throw new MedSegException($"Cannot write an nnU-Net dataset with file ending '{info.FileEnding}'; use .nii.gz or .nii.");
        }
        _info = info;
        _folder = new AtomicFolder(datasetFolder);
        Directory.CreateDirectory(Path.Combine(_folder.TempPath, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(_folder.TempPath, "labelsTr"));
    }

    /// <summary>The full path the dataset will have.</summary>
    public string Target => _folder.Target;

    /// <summary>
    /// Writes case <paramref name="id"/>: <paramref name="image"/> with one channel per channel name; with
    /// <paramref name="labels"/> (same grid, values below the number of labels) a training case, without a test case.
    /// </summary>
    /// <exception cref="MedSegException">An unsafe or repeated id, a wrong channel count, a label map on another grid or with a value that is no label.</exception>
    public void AddCase(string id, Volume<float> image, Volume<ushort>? labels) => Add(id, image, labels, heldOut: false);

    /// <summary>
    /// Writes held-out case <paramref name="id"/>: its image under <c>imagesTs/</c> (what <c>predict</c> segments) and
    /// its truth <paramref name="labels"/> under <c>labelsTs/</c> (what <c>evaluate</c> scores against).
    /// </summary>
    /// <exception cref="MedSegException">As <see cref="AddCase"/>.</exception>
    public void AddHeldOutCase(string id, Volume<float> image, Volume<ushort> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Add(id, image, labels, heldOut: true);
    }

    private void Add(string id, Volume<float> image, Volume<ushort>? labels, bool heldOut)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(image);
        if (!NnUnetDataset.IsValidCaseId(id))
        {
            throw new MedSegException(
                $"Case id '{id}' could name a file outside the dataset folder {Target}; use only letters, digits, '_', '-' and '.', starting with a letter or digit.");
        }
        if (image.Channels != _info.ChannelNames.Count)
        {
            throw new MedSegException(
                $"Case {id} has {image.Channels} image channel(s) but the dataset has {_info.ChannelNames.Count} ({string.Join(", ", _info.ChannelNames)}); give one channel per channel name.");
        }
        lock (_ids)
        {
            if (!_ids.Add(id))
            {
                throw new MedSegException($"Case {id} was added to {Target} twice; give every case its own id.");
            }
        }
        string ending = _info.FileEnding;
        if (labels is not null)
        {
            string labelFolder = heldOut ? "labelsTs" : "labelsTr";
            string labelPath = Path.Combine(Target, labelFolder, id + ending);
            NnUnetCase.RequireGrid(labels.Geometry, image.Geometry, labelPath, "label map", $"the image of case {id}", "resample the label map onto the image grid");
            NnUnetCase.RequireLabels(labels, _info.Labels.Count, labelPath);
            Directory.CreateDirectory(Path.Combine(_folder.TempPath, labelFolder));
            Nifti.WriteLabels(Path.Combine(_folder.TempPath, labelFolder, id + ending), labels);
            if (!heldOut)
            {
                Interlocked.Increment(ref _training);
            }
        }
        string images = Path.Combine(_folder.TempPath, labels is null || heldOut ? "imagesTs" : "imagesTr");
        Directory.CreateDirectory(images);
        for (int c = 0; c < image.Channels; c++)
        {
            var channel = image.Channels == 1 ? image : new Volume<float>(image.Geometry, image.Channel(c).ToArray());
            Nifti.WriteImage(Path.Combine(images, $"{id}_{c:D4}{ending}"), channel);
        }
    }

    /// <summary>Writes dataset.json and renames the folder into place; returns its full path.</summary>
    public string Commit()
    {
        AtomicFile.WriteAllText(Path.Combine(_folder.TempPath, "dataset.json"), (_info with { NumTraining = _training }).ToJson());
        _folder.Commit();
        return Target;
    }

    /// <summary>Deletes everything written unless <see cref="Commit"/> ran.</summary>
    public void Dispose() => _folder.Dispose();
}
