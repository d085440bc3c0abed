using System.Diagnostics;
using System.Globalization;

namespace MedSeg.Core.Cluster;

/// <summary>
/// Runs a plan's stages on this machine as a scheduler would on a cluster: every task of a stage is its own
/// <c>medseg</c> process started in the work folder, at most <c>parallel</c> at a time, its output in
/// <c>logs/STAGE-I.out</c>. A wave runs after the one before it succeeded.
/// </summary>
public static class LocalExecutor
{
    /// <summary>Runs every wave of <paramref name="plan"/>; throws when a task fails.</summary>
    /// <param name="medseg">The program and leading arguments that run MedSeg (e.g. <c>dotnet medseg.dll</c>).</param>
    /// <param name="message">Called with a line per finished task.</param>
    public static void RunAll(JobPlan plan, IReadOnlyList<string> medseg, int parallel, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var wave in plan.Waves)
        {
            var failed = wave.SelectMany(stage => Run(stage, medseg, plan.Options.WorkDir, parallel, message: message)
                .Where(t => t.Value != 0).Select(t => $"{stage.Name} task {t.Key} (exit {t.Value}, see {LogPath(stage, t.Key)})")).ToArray();
            if (failed.Length > 0)
            {
                throw new MedSegException($"{string.Join("; ", failed)} failed, so the stages after it were not run; fix the cause and run again (finished shards are kept).");
            }
        }
    }

    /// <summary>Runs the tasks <paramref name="indexes"/> (default: all) of <paramref name="stage"/> in <paramref name="workDir"/>.</summary>
    /// <param name="started">Called with each task's index and process as it starts.</param>
    /// <returns>Each task's exit code (a killed process gives the signal's code).</returns>
    public static IReadOnlyDictionary<int, int> Run(JobStage stage, IReadOnlyList<string> medseg, string workDir, int parallel,
        IReadOnlyList<int>? indexes = null, Action<int, Process>? started = null, Action<string>? message = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(medseg);
        Directory.CreateDirectory(Path.Combine(workDir, "logs"));
        var codes = new Dictionary<int, int>();
        var pending = new Queue<int>(indexes ?? Enumerable.Range(0, stage.Tasks).ToArray());
        var running = new List<(int Index, Process Process, StreamWriter Log)>();
        while (pending.Count > 0 || running.Count > 0)
        {
            while (pending.Count > 0 && running.Count < Math.Max(1, parallel))
            {
                var index = pending.Dequeue();
                var info = new ProcessStartInfo(medseg[0]) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in medseg.Skip(1).Concat(stage.ArgumentsFor(index.ToString(CultureInfo.InvariantCulture))))
                {
                    info.ArgumentList.Add(argument);
                }
                var log = new StreamWriter(Path.Combine(workDir, LogPath(stage, index))) { AutoFlush = true };
                var process = new Process { StartInfo = info };
                process.OutputDataReceived += (_, e) => Append(log, e.Data);
                process.ErrorDataReceived += (_, e) => Append(log, e.Data);
                process.Start();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                started?.Invoke(index, process);
                running.Add((index, process, log));
            }
            var finished = running[Task.WaitAny(running.Select(r => r.Process.WaitForExitAsync()).ToArray())];
            finished.Process.WaitForExit(); // drains the redirected output
            lock (finished.Log)
            {
                finished.Log.Dispose();
            }
            codes[finished.Index] = finished.Process.ExitCode;
            message?.Invoke($"{stage.Name} task {finished.Index}: exit {finished.Process.ExitCode}");
            finished.Process.Dispose();
            running.Remove(finished);
        }
        return codes;
    }

    /// <summary>The log of a task, relative to the work folder.</summary>
    public static string LogPath(JobStage stage, int index)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return Path.Combine("logs", string.Create(CultureInfo.InvariantCulture, $"{stage.Name}-{index}.out"));
    }

    private static void Append(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            if (log.BaseStream is not null)
            {
                log.WriteLine(line);
            }
        }
    }
}
