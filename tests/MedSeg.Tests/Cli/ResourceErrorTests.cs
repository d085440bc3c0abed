namespace MedSeg.Tests.Cli;

/// <summary>
/// A full disk and a read-only file system: one clear error line (exit code 2, not an internal error) and nothing
/// partial left behind; data on a read-only mount reads as usual.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class ResourceErrorTests
{
    private static readonly string[] Synth = ["synth", "--layout", "uwmgi", "--cases", "2", "--days", "1", "--slices", "4", "--size", "64x64", "--seed", "1"];

    [TmpfsFact]
    public void Synth_onto_a_full_disk_is_one_clear_error_and_leaves_nothing()
    {
        using var disk = new Tmpfs("32k");
        var (code, _, error) = CliRunner.Run([.. Synth, "--out", disk.Combine("data")]);
        AssertOneClearError(code, error, "disk (or your quota) is full");
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    [TmpfsFact]
    public void Training_onto_a_full_disk_is_one_clear_error_and_leaves_no_run_folder()
    {
        using var data = new Tmpfs("4m");
        Assert.Equal(0, CliRunner.Run([.. Synth, "--out", data.Combine("data")]).Code);
        using var disk = new Tmpfs("64k");
        var (code, _, error) = CliRunner.Run("train", "--data", data.Combine("data"), "--out", disk.Combine("run"), "--mode", "3d", "--arch", "unet3d", "--encoder", "none",
            "--features", "8", "--levels", "2", "--patch", "4x16x16", "--epochs", "1", "--steps-per-epoch", "1", "--batch-size", "2", "--folds", "2", "--threads", "1");
        AssertOneClearError(code, error, "disk (or your quota) is full");
        Assert.Empty(Directory.EnumerateFileSystemEntries(disk.Path));
    }

    [TmpfsFact]
    public void Data_on_a_read_only_mount_reads_and_output_there_is_one_clear_error()
    {
        using var disk = new Tmpfs("4m");
        Assert.Equal(0, CliRunner.Run([.. Synth, "--out", disk.Combine("data")]).Code);
        disk.MakeReadOnly();
        Assert.Equal(0, CliRunner.Run("inspect", disk.Combine("data")).Code);
        var (code, _, error) = CliRunner.Run([.. Synth, "--out", disk.Combine("more")]);
        AssertOneClearError(code, error, "read-only");
    }

    private static void AssertOneClearError(int code, string error, string expected)
    {
        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("medseg: error:", StringComparison.Ordinal));
        Assert.Contains(expected, error);
        Assert.DoesNotContain("internal error", error);
    }
}
