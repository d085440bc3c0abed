using MedSeg.Tests.Core.IO;

namespace MedSeg.Tests.Cli;

/// <summary>
/// Permission errors as a real user meets them: <c>medseg</c> run as nobody (root passes every permission check) on a
/// dataset and an output folder that belong to root and that others may read but not write. Reading works; writing
/// there is one clear error, exit code 2, and nothing, not even a temporary file, is left behind.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PermissionErrorTests
{
    [NobodyFact]
    public void Output_into_a_folder_without_write_permission_is_one_clear_error_and_leaves_nothing()
    {
        using var folder = new TempFolder();
        var data = Dataset(folder);
        var locked = folder.Combine("locked");
        Directory.CreateDirectory(locked);
        ReadOnlyForOthers(folder.Path);

        var synth = Nobody.Run("synth", "--layout", "uwmgi", "--cases", "1", "--days", "1", "--slices", "3", "--size", "33x35", "--out", Path.Combine(locked, "data"));
        var json = Nobody.Run("inspect", data, "--json", Path.Combine(locked, "summary.json"));

        AssertOneClearError(synth, Path.Combine(locked, ""));
        AssertOneClearError(json, Path.Combine(locked, ""));
        Assert.Empty(Directory.EnumerateFileSystemEntries(locked));
    }

    [NobodyFact]
    public void A_dataset_the_user_may_only_read_is_read_as_usual()
    {
        using var folder = new TempFolder();
        var data = Dataset(folder);
        var before = Directory.EnumerateFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories).Order().ToArray();
        ReadOnlyForOthers(folder.Path);

        var (code, output, error) = Nobody.Run("inspect", data);

        Assert.True(code == 0, error);
        Assert.Contains("all files read and valid", output);
        Assert.Equal(before, Directory.EnumerateFileSystemEntries(folder.Path, "*", SearchOption.AllDirectories).Order());
    }

    /// <summary>A small nnU-Net dataset of odd-sized volumes, written by root.</summary>
    private static string Dataset(TempFolder folder)
    {
        Assert.Equal(0, CliRunner.Run("synth", "--layout", "nnunet", "--cases", "2", "--slices", "5", "--size", "40x36", "--seed", "3", "--out", folder.Combine("nn")).Code);
        return Directory.GetDirectories(folder.Combine("nn")).Single();
    }

    /// <summary>Everything below <paramref name="root"/> readable by others and writable by its owner (root) only, whatever the umask.</summary>
    private static void ReadOnlyForOthers(string root)
    {
        const UnixFileMode read = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        const UnixFileMode enter = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, read | enter);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? read | enter : read);
        }
    }

    private static void AssertOneClearError((int Code, string Out, string Err) run, string folder)
    {
        Assert.Equal(2, run.Code);
        var line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("medseg: error:", StringComparison.Ordinal));
        Assert.Contains(folder, line);
        Assert.Contains("permission denied", line);
        Assert.DoesNotContain("internal error", run.Err);
    }
}
