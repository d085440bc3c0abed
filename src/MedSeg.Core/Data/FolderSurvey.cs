using System.Globalization;

namespace MedSeg.Core.Data;

/// <summary>
/// What training on a folder dataset must know before it writes anything, from one read of every image and mask:
/// the image channels shared by all images (1 = gray, 3 = RGB) and the classes, index 0 (background) first — the
/// names of classes.txt, or <c>background, class_1 … class_K</c> up to the largest index in any mask.
/// </summary>
/// <param name="Channels">Channels of every image.</param>
/// <param name="Classes">Class names by index, background included (the softmax outputs).</param>
public sealed record FolderSurvey(int Channels, IReadOnlyList<string> Classes)
{
    /// <summary>The name of class <paramref name="index"/> when no classes.txt names it (as <c>medseg inspect</c> prints it).</summary>
    public static string DefaultName(int index) => index == 0 ? "background" : string.Create(CultureInfo.InvariantCulture, $"class_{index}");

    /// <summary>Reads every item of <paramref name="items"/> (in parallel) and checks that they belong together.</summary>
    /// <param name="labels">classes.txt's names, or null to name the classes by index.</param>
    /// <exception cref="MedSegException">
    /// An item without a mask, an unreadable file, a mask value that is no class of classes.txt (see <see cref="FolderItem.Read"/>),
    /// RGB and grayscale images mixed, or masks holding only background.
    /// </exception>
    public static FolderSurvey Of(IReadOnlyList<FolderItem> items, IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            throw new MedSegException("there are no images to train on; put images in images/ and their masks in masks/.");
        }
        if (items.FirstOrDefault(i => i.MaskPath is null) is { } unlabelled)
        {
            throw new MedSegException($"Image {unlabelled.ImagePath} has no mask, but training needs a masks/ folder with one mask of class indices per image.");
        }
        var read = OrderedParallel.Map(items, item =>
        {
            var (image, mask) = item.Read();
            return (image.Channels, Largest: mask!.Length == 0 ? 0 : (int)mask.Max());
        });
        var channels = read.Select(r => r.Channels).ToArray();
        var largest = read.Select(r => r.Largest).ToArray();
        RequireOneKind(items, channels);
        int classCount = labels?.Count ?? largest.Max() + 1;
        if (classCount < 2)
        {
            throw new MedSegException(
                $"every mask of {Path.GetDirectoryName(items[0].MaskPath)} holds only 0 (background); label the classes with indices 1, 2, … (and name them in classes.txt).");
        }
        var classes = labels ?? Enumerable.Range(0, classCount).Select(DefaultName).ToArray();
        return new FolderSurvey(channels[0], classes);
    }

    /// <summary>Throws when the images do not all have the channels of the first one.</summary>
    private static void RequireOneKind(IReadOnlyList<FolderItem> items, IReadOnlyList<int> channels)
    {
        for (int i = 1; i < items.Count; i++)
        {
            if (channels[i] != channels[0])
            {
                throw new MedSegException(
                    $"Image {items[i].ImagePath} is {Kind(channels[i])} but image {items[0].ImagePath} is {Kind(channels[0])}; a folder dataset holds images of one kind, so convert {items[i].ImagePath} to {Kind(channels[0])} (or the others to {Kind(channels[i])}).");
            }
        }
    }

    /// <summary>"RGB (3 channels)" or "grayscale (1 channel)".</summary>
    public static string Kind(int channels) => channels == 3 ? "RGB (3 channels)" : channels == 1 ? "grayscale (1 channel)" : $"{channels}-channel";
}
