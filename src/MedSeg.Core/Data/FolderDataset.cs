namespace MedSeg.Core.Data;

/// <summary>
/// A 2-D folder dataset, CamVid-like: <c>images/</c> (8/16-bit gray or 8-bit RGB; PNG, JPEG, BMP or TIFF) and
/// <c>masks/</c> (lossless 8-bit gray images of class indices, 0 = background; see <see cref="FolderMask"/>) matched by file stem, and an optional
/// <c>classes.txt</c> naming the classes one per line, line 1 for index 0 (background). Without masks/ the images
/// are unlabelled. Loading reads names only.
/// </summary>
public sealed class FolderDataset
{
    /// <summary>Image file endings read (case-insensitive).</summary>
    public static IReadOnlyList<string> ImageEndings { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"];

    /// <summary>Mask file endings read: lossless formats only, since JPEG would alter class indices.</summary>
    public static IReadOnlyList<string> MaskEndings { get; } = [".png", ".bmp", ".tif", ".tiff"];

    private FolderDataset(string root, string imagesFolder, IReadOnlyList<string>? labels, bool hasMasks, IReadOnlyList<FolderItem> items)
    {
        Root = root;
        ImagesFolder = imagesFolder;
        Labels = labels;
        HasMasks = hasMasks;
        Items = items;
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Root { get; }

    /// <summary>Full path of the folder holding the images (<c>images/</c>, or the root of a plain folder of images).</summary>
    public string ImagesFolder { get; }

    /// <summary>Class names by index from classes.txt (index 0 = background), or null without that file.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>Whether the dataset has a masks/ folder.</summary>
    public bool HasMasks { get; }

    /// <summary>Image (and mask) pairs ordered by id.</summary>
    public IReadOnlyList<FolderItem> Items { get; }

    /// <summary>The file naming the classes, in the dataset folder.</summary>
    public const string ClassesFile = "classes.txt";

    /// <summary>Loads the folder <paramref name="root"/>.</summary>
    /// <param name="classesPath">The classes.txt to use (default: the one in <paramref name="root"/>, when there is one).</param>
    /// <exception cref="MedSegException">No images/ folder, a file of another kind, an image without a mask or a mask without an image, two files with one stem, or a bad classes.txt.</exception>
    public static FolderDataset Load(string root, string? classesPath = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        string images = Path.Combine(full, "images");
        if (!Directory.Exists(images))
        {
            throw new MedSegException($"{full} has no images/ folder; a folder dataset holds images/ and masks/ with matching file names.");
        }
        return Load(full, images, Path.Combine(full, "masks"), classesPath ?? Path.Combine(full, ClassesFile));
    }

    /// <summary>Whether <paramref name="folder"/> itself holds image files (a plain folder of images to segment, no images/ sub-folder).</summary>
    public static bool HoldsImages(string folder) =>
        Directory.Exists(folder) && Directory.EnumerateFiles(folder).Any(f => ImageEndings.Contains(Path.GetExtension(f).ToLowerInvariant()));

    /// <summary>The images of a plain folder (no masks), as an unlabelled dataset rooted there.</summary>
    /// <exception cref="MedSegException">A file of another kind, two files with one stem, or no image.</exception>
    public static FolderDataset LoadImages(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string full = Path.GetFullPath(folder);
        return Load(full, full, null, null);
    }

    private static FolderDataset Load(string full, string images, string? masks, string? classesPath)
    {
        var labels = classesPath is null ? null : ReadClasses(classesPath);
        var imageFiles = Scan(images, ImageEndings, "image");
        bool hasMasks = masks is not null && Directory.Exists(masks);
        var maskFiles = hasMasks ? Scan(masks!, MaskEndings, "mask") : [];
        var items = new List<FolderItem>();
        foreach (var (id, image) in imageFiles)
        {
            string? mask = null;
            if (hasMasks && !maskFiles.Remove(id, out mask))
            {
                throw new MedSegException($"Image {image} has no mask in {masks} (a file named {id}.png); add the mask or remove the image.");
            }
            items.Add(new FolderItem(id, image, mask, labels?.Length));
        }
        if (maskFiles.Count > 0)
        {
            var (id, mask) = maskFiles.First();
            throw new MedSegException($"Mask {mask} has no image in {images} (a file named {id} with an image ending); add the image or remove the mask.");
        }
        if (items.Count == 0)
        {
            throw new MedSegException($"{images} holds no images; put the images ({string.Join(", ", ImageEndings)}) there.");
        }
        return new FolderDataset(full, images, labels, hasMasks, items);
    }

    private static SortedDictionary<string, string> Scan(string folder, IReadOnlyList<string> endings, string what)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.'))
            {
                continue;
            }
            string ending = Path.GetExtension(name).ToLowerInvariant();
            if (!endings.Contains(ending))
            {
                throw new MedSegException(
                    $"File {file} is not a{(what == "image" ? "n" : "")} {what} MedSeg reads ({string.Join(", ", endings)}); convert or remove it.");
            }
            string id = Path.GetFileNameWithoutExtension(name);
            if (!files.TryAdd(id, file))
            {
                throw new MedSegException($"Files {files[id]} and {file} are both {what} '{id}'; keep one of them.");
            }
        }
        return files;
    }

    private static string[]? ReadClasses(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var names = File.ReadAllLines(path).Select(l => l.Trim()).ToList();
        while (names.Count > 0 && names[^1].Length == 0)
        {
            names.RemoveAt(names.Count - 1);
        }
        int blank = names.IndexOf("");
        if (blank >= 0 || names.Count < 2 || names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new MedSegException(
                $"{path} must name background and at least one class, one distinct name per line (line 1 = index 0){(blank >= 0 ? $", but line {blank + 1} is empty" : "")}; fix the file.");
        }
        return names.ToArray();
    }
}
