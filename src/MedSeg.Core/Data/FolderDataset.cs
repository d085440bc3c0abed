namespace MedSeg.Core.Data;

/// <summary>
/// A 2-D folder dataset, CamVid-like: <c>images/</c> (8/16-bit gray or 8-bit RGB; PNG, JPEG, BMP or TIFF) and
/// <c>masks/</c> (lossless gray images of class indices, 0 = background) matched by file stem, and an optional
/// <c>classes.txt</c> naming the classes one per line, line 1 for index 0 (background). Without masks/ the images
/// are unlabelled. Loading reads names only.
/// </summary>
public sealed class FolderDataset
{
    /// <summary>Image file endings read (case-insensitive).</summary>
    public static IReadOnlyList<string> ImageEndings { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"];

    /// <summary>Mask file endings read: lossless formats only, since JPEG would alter class indices.</summary>
    public static IReadOnlyList<string> MaskEndings { get; } = [".png", ".bmp", ".tif", ".tiff"];

    private FolderDataset(string root, IReadOnlyList<string>? labels, bool hasMasks, IReadOnlyList<FolderItem> items)
    {
        Root = root;
        Labels = labels;
        HasMasks = hasMasks;
        Items = items;
    }

    /// <summary>Full path of the dataset folder.</summary>
    public string Root { get; }

    /// <summary>Class names by index from classes.txt (index 0 = background), or null without that file.</summary>
    public IReadOnlyList<string>? Labels { get; }

    /// <summary>Whether the dataset has a masks/ folder.</summary>
    public bool HasMasks { get; }

    /// <summary>Image (and mask) pairs ordered by id.</summary>
    public IReadOnlyList<FolderItem> Items { get; }

    /// <summary>Loads the folder <paramref name="root"/>.</summary>
    /// <exception cref="MedSegException">No images/ folder, a file of another kind, an image without a mask or a mask without an image, two files with one stem, or a bad classes.txt.</exception>
    public static FolderDataset Load(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        string full = Path.GetFullPath(root);
        string images = Path.Combine(full, "images"), masks = Path.Combine(full, "masks");
        if (!Directory.Exists(images))
        {
            throw new MedSegException($"{full} has no images/ folder; a folder dataset holds images/ and masks/ with matching file names.");
        }
        var labels = ReadClasses(Path.Combine(full, "classes.txt"));
        var imageFiles = Scan(images, ImageEndings, "image");
        bool hasMasks = Directory.Exists(masks);
        var maskFiles = hasMasks ? Scan(masks, MaskEndings, "mask") : [];
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
        return new FolderDataset(full, labels, hasMasks, items);
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
