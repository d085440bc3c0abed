using MedSeg.Core.Data;
using MedSeg.Core.IO;

namespace MedSeg.Core.Preprocessing;

/// <summary>
/// A folder-dataset image (1 gray or 3 RGB channels, 8 or 16 bits) as network input at its own size: normalised over
/// all its channels together (so colours keep their ratios; by default divided by the image's maximum) and laid out
/// channel-major. Training and both prediction backends read images through this one step.
/// </summary>
public static class FolderImagePlanes
{
    /// <summary>The normalised image as channel-major C×H×W values.</summary>
    /// <exception cref="MedSegException">The image does not have <paramref name="channels"/> channels; the message names <paramref name="path"/>.</exception>
    public static float[] Of(RasterImage image, int channels, IntensityNormalisation normalisation, string path)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(normalisation);
        if (image.Channels != channels)
        {
            throw new MedSegException(
                $"Image {path} is {FolderSurvey.Kind(image.Channels)}, but the network takes {FolderSurvey.Kind(channels)} images, as it was trained on; convert the image, or use a run trained on {FolderSurvey.Kind(image.Channels)} images.");
        }
        var interleaved = new float[image.Pixels.Length];
        normalisation.Apply(image.Pixels, interleaved);
        if (channels == 1)
        {
            return interleaved;
        }
        var plane = image.Height * image.Width;
        var planes = new float[interleaved.Length];
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < channels; c++)
            {
                planes[c * plane + p] = interleaved[p * channels + c];
            }
        }
        return planes;
    }
}
