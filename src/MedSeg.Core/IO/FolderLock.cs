using System.Diagnostics;
using System.Globalization;

namespace MedSeg.Core.IO;

/// <summary>
/// A lock file (<see cref="FileName"/>) that marks a folder as being written by one process: it holds the owner's host,
/// process id and process start time. A second writer is refused while the owner runs; a lock whose process is gone (a
/// killed run) is stale and taken over. Disposing removes the lock.
/// </summary>
public sealed class FolderLock : IDisposable
{
    public const string FileName = "medseg.lock";

    private readonly string _path;
    private readonly string _content;

    private FolderLock(string path, string content)
    {
        _path = path;
        _content = content;
    }

    /// <summary>Locks <paramref name="folder"/> (which must exist) for this process.</summary>
    /// <exception cref="MedSegException">Another live process holds the lock, or the lock file cannot be written.</exception>
    public static FolderLock Acquire(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var content = Describe(Environment.ProcessId, Environment.MachineName, StartTicks(Process.GetCurrentProcess()));
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(content);
                }
                return new FolderLock(path, content);
            }
            catch (IOException) when (File.Exists(path) && attempt < 3)
            {
                TakeOverIfStale(path, folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new MedSegException($"cannot write the lock file {path} ({e.Message}); check that the folder is writable.", e);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(_path) && File.ReadAllText(_path) == _content)
            {
                File.Delete(_path);
            }
        }
        catch (IOException)
        {
            // The folder went away (a failed run removed it) or is unreadable: nothing of ours is left to remove.
        }
    }

    /// <summary>Moves a lock whose owner is gone out of the way (a rename, so only one taker succeeds); a live owner is an error.</summary>
    private static void TakeOverIfStale(string path, string folder)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return;
        }
        var fields = text.Split(' ');
        if (fields.Length != 3 || !int.TryParse(fields[0], CultureInfo.InvariantCulture, out int pid)
            || !long.TryParse(fields[2], CultureInfo.InvariantCulture, out long started))
        {
            throw new MedSegException($"{folder} is locked by {path}, which MedSeg cannot read; if no other medseg process writes this folder, delete that file.");
        }
        if (!IsGone(pid, fields[1], started))
        {
            throw new MedSegException(
                $"{folder} is being written by process {pid} on {fields[1]} ({path}); wait for it to finish or stop it: two processes must not write one run folder.");
        }
        try
        {
            var stale = path + "." + Guid.NewGuid().ToString("N") + ".stale";
            File.Move(path, stale);
            File.Delete(stale);
        }
        catch (FileNotFoundException)
        {
            // Another process took the stale lock over first; the next attempt competes for a fresh one.
        }
    }

    /// <summary>Whether the process that wrote a lock no longer runs (same host only: another host's process cannot be checked).</summary>
    private static bool IsGone(int pid, string host, long startTicks)
    {
        if (host != Environment.MachineName)
        {
            return false;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            // Linux derives a start time from the boot time, which each process computes anew, so allow a second of difference.
            return process.HasExited || Math.Abs(StartTicks(process) - startTicks) > TimeSpan.TicksPerSecond;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    private static long StartTicks(Process process) => process.StartTime.ToUniversalTime().Ticks;

    private static string Describe(int pid, string host, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"{pid} {host} {startTicks}");
}
