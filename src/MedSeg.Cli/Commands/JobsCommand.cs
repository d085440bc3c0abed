using System.CommandLine;
using System.Reflection;
using MedSeg.Core.Cluster;
using MedSeg.Core.Inspection;

namespace MedSeg.Cli.Commands;

/// <summary>
/// <c>medseg jobs</c>: writes a study's plan (<see cref="JobPlan"/>) as a Slurm submit script and Kubernetes Indexed
/// Jobs (<see cref="JobFiles"/>); with <c>--run-local</c> also runs it here, each task its own process (<see cref="LocalExecutor"/>).
/// </summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Training data as the jobs see it (relative to --workdir, or absolute).", Required = true };
        var predictData = new Option<string>("--predict-data") { Description = "Data to segment after training, as the jobs see it.", Required = true };
        var output = new Option<string>("--out") { Description = "New folder for slurm/submit.sh, kubernetes/*.yaml and kubernetes/submit.sh.", Required = true };
        var configs = new Option<string[]>("--config") { Description = "Train config file (medseg train --config), one per configuration; repeat for several (an ensemble tuned on their out-of-fold predictions) [default: the train defaults].", Arity = ArgumentArity.ZeroOrMore };
        var folds = new Option<int>("--folds") { Description = "Folds per configuration, each a task.", DefaultValueFactory = _ => 5 };
        var shards = new Option<int>("--shards") { Description = "Prediction shards, each a task (medseg predict --shard I/N).", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Split and training seed, the same for every fold.", DefaultValueFactory = _ => 42 };
        var device = new Option<string>("--device") { Description = "cpu or cuda (cuda: training and prediction tasks request one GPU each).", DefaultValueFactory = _ => "cpu" };
        var format = new Option<string>("--format") { Description = "Layout of --data: auto (recognised; the data must then be on this machine), uwmgi, nnunet or folder.", DefaultValueFactory = _ => "auto" };
        var workDir = new Option<string?>("--workdir") { Description = "Shared folder every job runs in [default: /shared/medseg; with --run-local the current folder]." };
        var medseg = new Option<string>("--medseg") { Description = "Command that runs MedSeg on a node and in the container.", DefaultValueFactory = _ => "medseg" };
        var image = new Option<string>("--image") { Description = "Kubernetes: container image with MedSeg.", DefaultValueFactory = _ => "medseg:latest" };
        var claim = new Option<string>("--volume-claim") { Description = "Kubernetes: PersistentVolumeClaim (ReadWriteMany) mounted at --workdir.", DefaultValueFactory = _ => "medseg-shared" };
        var cpus = new Option<int>("--cpus") { Description = "CPU cores per task.", DefaultValueFactory = _ => 4 };
        var runLocal = new Option<bool>("--run-local") { Description = "Also run the plan on this machine, each task its own process (logs in WORKDIR/logs/)." };
        var parallel = new Option<int>("--parallel") { Description = "With --run-local: processes at a time.", DefaultValueFactory = _ => 2 };
        var command = new Command("jobs", "Write a study (folds x configurations -> train -> tune -> predict shards -> merge) as Slurm and Kubernetes jobs.")
        {
            data, predictData, output, configs, folds, shards, seed, device, format, workDir, medseg, image, claim, cpus, runLocal, parallel,
        };
        command.SetAction(parsed =>
        {
            var local = parsed.GetValue(runLocal);
            var plan = JobPlan.Build(new JobPlanOptions
            {
                Data = parsed.GetValue(data)!,
                PredictData = parsed.GetValue(predictData)!,
                Configs = parsed.GetValue(configs) ?? [],
                Folds = parsed.GetValue(folds),
                Shards = parsed.GetValue(shards),
                Seed = parsed.GetValue(seed),
                Device = parsed.GetValue(device)!,
                Format = DatasetFormats.Parse(parsed.GetValue(format)!),
                WorkDir = parsed.GetValue(workDir) ?? (local ? Directory.GetCurrentDirectory() : JobPlanOptions.DefaultWorkDir),
                Medseg = parsed.GetValue(medseg)!,
                Image = parsed.GetValue(image)!,
                VolumeClaim = parsed.GetValue(claim)!,
                Cpus = parsed.GetValue(cpus),
            });
            var outPath = parsed.GetValue(output)!;
            foreach (var file in JobFiles.Write(plan, outPath))
            {
                Console.WriteLine(Path.Combine(outPath, file));
            }
            if (local)
            {
                LocalExecutor.RunAll(plan, ThisProgram(), parsed.GetValue(parallel), Console.WriteLine);
            }
        });
        return command;
    }

    /// <summary>How to start this program again: its apphost, or <c>dotnet medseg.dll</c>.</summary>
    private static string[] ThisProgram()
    {
        var process = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, Assembly.GetEntryAssembly()!.Location] : [process];
    }
}
