namespace MedSeg.Core.IO;

/// <summary>
/// Creates a folder so that nobody ever sees it half-written: content goes into a hidden temporary sibling,
/// which <see cref="Commit"/> renames to the target. The target must not exist or be empty (MedSeg never writes
/// into a folder that holds files); disposing without committing deletes the temporary folder.
/// </summary>
public sealed class AtomicFolder : IDisposable
{
    private bool _committed;

    /// <summary>Checks <paramref name="target"/> and creates the temporary folder next to it.</summary>
    /// <exception cref="MedSegException">The target is a file or a non-empty folder.</exception>
    public AtomicFolder(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        Target = Path.GetFullPath(target.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (File.Exists(Target))
        {
            throw new MedSegException($"Output {Target} is a file; choose a new or empty folder.");
        }
        if (Directory.Exists(Target) && Directory.EnumerateFileSystemEntries(Target).Any())
        {
            throw new MedSegException($"Output folder {Target} is not empty; choose a new or empty folder, since MedSeg never overwrites files.");
        }
        string parent = Path.GetDirectoryName(Target)!;
        Directory.CreateDirectory(parent);
        TempPath = Path.Combine(parent, $".{Path.GetFileName(Target)}.partial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(TempPath);
    }

    /// <summary>The full path the folder will have.</summary>
    public string Target { get; }

    /// <summary>The temporary folder to write into.</summary>
    public string TempPath { get; }

    /// <summary>Writes into a new folder <paramref name="target"/> through <paramref name="write"/> (given the temporary path), then commits.</summary>
    public static T Write<T>(string target, Func<string, T> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var folder = new AtomicFolder(target);
        var result = write(folder.TempPath);
        folder.Commit();
        return result;
    }

    /// <summary>Renames the temporary folder to <see cref="Target"/>.</summary>
    /// <exception cref="MedSegException">Something appeared at the target meanwhile.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (Directory.Exists(Target))
        {
            if (Directory.EnumerateFileSystemEntries(Target).Any())
            {
                throw new MedSegException($"Output folder {Target} was filled by something else while MedSeg wrote it; choose a new or empty folder.");
            }
            Directory.Delete(Target);
        }
        Directory.Move(TempPath, Target);
        _committed = true;
    }

    /// <summary>Deletes the temporary folder unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(TempPath))
        {
            Directory.Delete(TempPath, recursive: true);
        }
        _committed = true;
    }
}
