using MedSeg.Core.Inspection;

namespace MedSeg.Core.Viewer;

/// <summary>Opens the <see cref="IViewerSource"/> for a dataset in any layout <c>medseg inspect</c> knows.</summary>
public static class ViewerSources
{
    /// <summary>Opens <paramref name="dataPath"/> (and <paramref name="predPath"/>: a submission .csv, a folder of NIfTI label maps or of index PNGs).</summary>
    /// <param name="format">The layout, or <see cref="DatasetFormat.Auto"/> to recognise it.</param>
    /// <exception cref="MedSegException">The data fits no layout, or the predictions do not fit the data.</exception>
    public static IViewerSource Open(string dataPath, string? predPath, DatasetFormat format = DatasetFormat.Auto)
    {
        ArgumentNullException.ThrowIfNull(dataPath);
        if (predPath is not null && !File.Exists(predPath) && !Directory.Exists(predPath))
        {
            throw new MedSegException($"--pred {predPath} does not exist; pass the output of medseg predict (a .csv or a folder).");
        }
        return (format == DatasetFormat.Auto ? DatasetFormats.Detect(dataPath) : format) switch
        {
            DatasetFormat.UwMadison => new UwViewerSource(dataPath, predPath),
            DatasetFormat.NnUnet => new NnUnetViewerSource(dataPath, predPath),
            _ => new FolderViewerSource(dataPath, predPath),
        };
    }
}
