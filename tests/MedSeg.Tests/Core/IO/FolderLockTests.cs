using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

/// <summary>A folder written by one process is refused to a second; a lock left by a killed process is taken over.</summary>
public sealed class FolderLockTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LockFile => _folder.Combine(FolderLock.FileName);

    [Fact]
    public void A_held_lock_refuses_a_second_writer_and_is_removed_on_dispose()
    {
        using (FolderLock.Acquire(_folder.Path))
        {
            var error = Assert.Throws<MedSegException>(() => FolderLock.Acquire(_folder.Path));
            Assert.Contains($"process {Environment.ProcessId}", error.Message);
            Assert.Contains(_folder.Path, error.Message);
        }
        Assert.False(File.Exists(LockFile));
        FolderLock.Acquire(_folder.Path).Dispose();
    }

    [Fact]
    public void A_lock_of_a_process_that_is_gone_is_stale_and_taken_over()
    {
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        exited.WaitForExit();
        File.WriteAllText(LockFile, $"{exited.Id} {Environment.MachineName} {DateTime.UtcNow.Ticks}");

        using (FolderLock.Acquire(_folder.Path))
        {
            Assert.Contains($"{Environment.ProcessId} ", File.ReadAllText(LockFile));
        }
    }

    [Fact]
    public void A_lock_whose_pid_now_belongs_to_another_process_is_stale()
    {
        // This process's id with another start time: the pid was reused after the owner died.
        File.WriteAllText(LockFile, $"{Environment.ProcessId} {Environment.MachineName} 1");
        FolderLock.Acquire(_folder.Path).Dispose();
    }

    [Fact]
    public void An_unreadable_lock_is_an_error_that_says_how_to_clear_it()
    {
        File.WriteAllText(LockFile, "garbage");
        Assert.Contains("delete that file", Assert.Throws<MedSegException>(() => FolderLock.Acquire(_folder.Path)).Message);
    }
}
