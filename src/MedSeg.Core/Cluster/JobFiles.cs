using MedSeg.Core.IO;

namespace MedSeg.Core.Cluster;

/// <summary>
/// <c>medseg jobs</c>: writes a plan into a new folder — <c>slurm/submit.sh</c> (<see cref="SlurmScript"/>),
/// <c>kubernetes/WAVE-STAGE.yaml</c> (one Indexed Job each) and <c>kubernetes/submit.sh</c>
/// (<see cref="KubernetesManifests"/>). The folder appears whole or not at all.
/// </summary>
public static class JobFiles
{
    public const string SlurmScriptPath = "slurm/submit.sh";
    public const string KubernetesFolder = "kubernetes";
    public const string SubmitScriptName = "submit.sh";

    /// <returns>The files written, relative to <paramref name="outPath"/>.</returns>
    public static IReadOnlyList<string> Write(JobPlan plan, string outPath)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return AtomicFolder.Write(outPath, folder =>
        {
            var files = new List<string>();
            void Put(string relative, string text, bool executable = false)
            {
                var path = Path.Combine(folder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
                if (executable && !OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }
                files.Add(relative);
            }
            Put(SlurmScriptPath, SlurmScript.Write(plan), executable: true);
            foreach (var stage in plan.Stages)
            {
                Put($"{KubernetesFolder}/{KubernetesManifests.FileName(stage)}", KubernetesManifests.Yaml(KubernetesManifests.Job(plan, stage)));
            }
            Put($"{KubernetesFolder}/{SubmitScriptName}", KubernetesManifests.SubmitScript(plan), executable: true);
            return files;
        });
    }
}
