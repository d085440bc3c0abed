namespace MedSeg.Core;

/// <summary>The check every output file path passes before any work starts: the right extension, and nothing there yet.</summary>
public static class NewOutputFile
{
    /// <summary>
    /// Throws a <see cref="MedSegException"/> naming <paramref name="option"/> when <paramref name="path"/> does not end
    /// in <paramref name="extension"/> (what the file holds is <paramref name="what"/>) or already exists.
    /// </summary>
    public static void Require(string path, string option, string extension, string what)
    {
        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            throw new MedSegException($"{option} {path}: {what}; name the file *{extension}.");
        }
        if (File.Exists(path) || Directory.Exists(path))
        {
            throw new MedSegException($"{option} {path} already exists; choose a new file name (MedSeg never overwrites outputs).");
        }
    }
}
