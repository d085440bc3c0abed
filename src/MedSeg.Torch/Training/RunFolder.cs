using System.Text.Json;
using MedSeg.Core;
using MedSeg.Core.Inspection;
using MedSeg.Core.IO;
using MedSeg.Core.Runs;
using MedSeg.Torch.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// A training run on disk: <c>config.json</c> (the resolved <see cref="TrainConfig"/>, usable as <c>--config</c>),
/// <c>run.json</c> (<see cref="RunInfo"/>), <c>model.safetensors</c> (best), <c>last.safetensors</c>,
/// <c>log.jsonl</c> and <c>curves.png</c>. Every file is written to a temporary name and renamed into place.
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFile = RunPaths.ConfigFile;
    public const string InfoFile = "run.json";
    public const string BestModelFile = "model.safetensors";
    public const string LastModelFile = "last.safetensors";
    public const string LogFile = "log.jsonl";
    public const string CurvesFile = "curves.png";
    /// <summary>Out-of-fold probabilities of the validation case-days (best model), for <c>medseg tune</c>.</summary>
    public const string OutOfFoldFolder = "oof";
    /// <summary>Thresholds and minimum pixel counts found by <c>medseg tune</c>; <c>predict</c> uses them by default.</summary>
    public const string TunedFile = RunPaths.TunedFile;
    /// <summary>Which classes keep only their largest component, decided on the validation predictions; <c>predict</c> applies it by default.</summary>
    public const string PostProcessingFile = RunPaths.PostProcessingFile;
    /// <summary>nnU-Net raw data preprocessed into slices for training (<see cref="Core.Data.NnUnetSlices"/>); shared by the folds of a <c>--fold all</c> run.</summary>
    public const string PreprocessedFolder = "preprocessed";

    public string Path { get; }
    public TrainConfig Config { get; }
    public RunInfo Info { get; }

    private RunFolder(string path, TrainConfig config, RunInfo info)
    {
        Path = path;
        Config = config;
        Info = info;
    }

    /// <summary>Creates an empty run folder, refusing one that already holds files (other than its <see cref="PreprocessedFolder"/> and a <see cref="FolderLock"/>).</summary>
    public static void CreateEmpty(string path)
    {
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any(e => System.IO.Path.GetFileName(e) is not (PreprocessedFolder or FolderLock.FileName)))
        {
            throw new MedSegException($"run folder {path} already exists and is not empty; choose a new --out folder.");
        }
        Directory.CreateDirectory(path);
    }

    /// <summary>The sub-folder of a <c>--fold all</c> run that holds fold <paramref name="fold"/>.</summary>
    public static string FoldFolder(int fold) => $"fold_{fold}";

    /// <summary>The run folders a <c>--model</c> path stands for (<see cref="RunPaths.Expand"/>).</summary>
    public static IReadOnlyList<string> Expand(string path) => RunPaths.Expand(path);

    /// <summary>" (PATH is a LAYOUT dataset: give it as --data)" when <paramref name="path"/> holds a known dataset layout, else "".</summary>
    private static string DatasetHint(string path)
    {
        try
        {
            return $" ({path} is a {DatasetFormats.Name(DatasetFormats.Detect(path))} dataset: give it as --data)";
        }
        catch (MedSegException)
        {
            return "";
        }
    }

    /// <summary>Reads a run folder written by training, checking that every file prediction needs is there.</summary>
    /// <param name="requireModel">False to accept a run that has not finished an epoch yet (for resuming).</param>
    public static RunFolder Load(string path, bool requireModel = true)
    {
        if (!Directory.Exists(path))
        {
            throw new MedSegException($"run folder {path} does not exist; pass a folder written by 'medseg train'.");
        }
        foreach (var file in requireModel ? new[] { ConfigFile, InfoFile, BestModelFile } : [ConfigFile, InfoFile])
        {
            if (!File.Exists(System.IO.Path.Combine(path, file)))
            {
                throw new MedSegException($"run folder {path} has no {file}; pass a folder written by 'medseg train'{DatasetHint(path)}.");
            }
        }
        var config = TrainConfig.Load(System.IO.Path.Combine(path, ConfigFile));
        var infoPath = System.IO.Path.Combine(path, InfoFile);
        RunInfo info;
        try
        {
            info = JsonSerializer.Deserialize<RunInfo>(File.ReadAllText(infoPath), TrainConfig.Json)
                ?? throw new MedSegException($"{infoPath} is empty.");
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{infoPath} is not a valid run description: {e.Message}");
        }
        return new RunFolder(path, config, info);
    }

    /// <summary>
    /// Builds the run's network and loads <paramref name="file"/> (default the best checkpoint) onto <paramref name="device"/>;
    /// a file whose keys or shapes do not fit the network is an error naming it.
    /// </summary>
    public nn.Module<Tensor, Tensor> LoadModel(Device device, string file = BestModelFile)
    {
        var model = TrainingNetworks.Create(Config, Info.Classes.Count, Info.ImageChannels ?? Config.InChannels);
        ModelWeights.Load(model, System.IO.Path.Combine(Path, file));
        model.to(device);
        model.eval();
        return model;
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="file"/> in <paramref name="folder"/>.</summary>
    public static void WriteJson<T>(string folder, string file, T value) =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(folder, file), JsonSerializer.Serialize(value, TrainConfig.Json) + "\n");

    /// <summary>Saves the weights of <paramref name="model"/> as safetensors under <paramref name="file"/>.</summary>
    public static void SaveWeights(nn.Module model, string folder, string file) =>
        AtomicFile.Write(System.IO.Path.Combine(folder, file), temp => model.save_safetensors(temp));
}
