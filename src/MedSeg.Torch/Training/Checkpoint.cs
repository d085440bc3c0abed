using System.Text.Json;
using MedSeg.Core;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Torch.Training;

/// <summary>
/// The resume point of a run: <c>RUN/resume/</c> holds the weights, optimiser state, EMA weights and
/// <see cref="TrainingState"/> of the last finished epoch. It is written as <c>resume.tmp/</c> and swapped in with
/// directory renames, so an interrupted write leaves the previous resume point intact.
/// </summary>
public static class Checkpoint
{
    public const string Folder = "resume";
    private const string ModelFile = "model.safetensors";
    private const string OptimizerFile = "optimizer.bin";
    private const string EmaFile = "ema.safetensors";
    private const string StateFile = "state.json";

    public static void Save(string runPath, nn.Module model, OptimizerHelper optimizer, ModelEma? ema, TrainingState state)
    {
        var final = Path.Combine(runPath, Folder);
        var temp = final + ".tmp";
        var old = final + ".old";
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
        Directory.CreateDirectory(temp);
        model.save_safetensors(Path.Combine(temp, ModelFile));
        optimizer.save_state_dict(Path.Combine(temp, OptimizerFile));
        ema?.Model.save_safetensors(Path.Combine(temp, EmaFile));
        File.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, TrainConfig.Json));
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
        if (Directory.Exists(final))
        {
            Directory.Move(final, old);
        }
        Directory.Move(temp, final);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>
    /// Restores weights, optimiser and EMA in place and returns the state, or null when the run has no resume point yet
    /// (it was stopped during its first epoch, so it starts over).
    /// </summary>
    public static TrainingState? Load(string runPath, nn.Module model, OptimizerHelper optimizer, ModelEma? ema)
    {
        var folder = Path.Combine(runPath, Folder);
        if (!File.Exists(Path.Combine(folder, StateFile)) && Directory.Exists(folder + ".old"))
        {
            folder += ".old";
        }
        var statePath = Path.Combine(folder, StateFile);
        if (!File.Exists(statePath))
        {
            return null;
        }
        model.load_safetensors(Path.Combine(folder, ModelFile));
        optimizer.load_state_dict(Path.Combine(folder, OptimizerFile));
        if (ema is not null)
        {
            ema.Model.load_safetensors(Path.Combine(folder, EmaFile));
        }
        return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(statePath), TrainConfig.Json)
            ?? throw new MedSegException($"{statePath} is empty; start a new run.");
    }
}
