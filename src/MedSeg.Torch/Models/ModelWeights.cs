using System.Collections;
using MedSeg.Core;
using MedSeg.Core.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Torch.Models;

/// <summary>
/// Weight interchange with PyTorch through TorchSharp.PyBridge: safetensors (<c>.safetensors</c>) and PyTorch
/// state dicts (<c>torch.save(model.state_dict(), path)</c>, any other extension, read only when the caller allows pickles). Every load first checks that
/// each key the model has is in the file and each shape matches (PyBridge alone would silently load a tensor of the
/// wrong shape), and throws a <see cref="MedSegException"/> naming the key, expected and found shapes. Keys are the
/// reference implementations' (smp, torchvision, pytorch-3dunet, MONAI), so files pass both ways.
/// </summary>
public static class ModelWeights
{
    private const string EncoderPrefix = "encoder.";

    /// <summary>Saves every parameter and buffer as safetensors (written to a temporary file, then renamed).</summary>
    public static void SaveSafetensors(nn.Module model, string path) =>
        AtomicFile.Write(path, temp => model.save_safetensors(temp));

    /// <summary>Saves a state dict that PyTorch's <c>torch.load</c> reads (written to a temporary file, then renamed).</summary>
    public static void ExportPyTorch(nn.Module model, string path) =>
        AtomicFile.Write(path, temp => model.save_py(temp));

    /// <summary>Loads a whole-model state dict (<c>.safetensors</c>, or PyTorch <c>.pt</c> with <paramref name="allowPickle"/>): the file must hold exactly the model's keys, with its shapes.</summary>
    public static void Load(nn.Module model, string path, bool allowPickle = false)
    {
        var state = ReadStateDict(path, allowPickle);
        try
        {
            var expected = model.state_dict();
            CheckShapes(expected, state, path, prefix: "");
            var unexpected = state.Keys.Where(k => !expected.ContainsKey(k)).ToArray();
            if (unexpected.Length > 0)
            {
                throw new MedSegException(
                    $"{path} holds {unexpected.Length} key(s) the model lacks, e.g. '{unexpected[0]}'; is it a weight file of this architecture and encoder?");
            }
            model.load_state_dict(state);
        }
        finally
        {
            Dispose(state);
        }
    }

    /// <summary>
    /// Loads pretrained encoder weights (a torchvision/timm classification state dict such as <c>resnet34</c>'s, with or
    /// without smp's <c>encoder.</c> prefix) into <paramref name="model"/>'s encoder. Every encoder key must be in the
    /// file with its shape; the file's other keys (the classifier, e.g. <c>fc.weight</c>) are ignored and returned.
    /// </summary>
    public static IReadOnlyList<string> LoadEncoder(EncoderDecoderModel model, string path, bool allowPickle = false)
    {
        var state = ReadStateDict(path, allowPickle);
        try
        {
            var stripped = state.ToDictionary(p => p.Key.StartsWith(EncoderPrefix, StringComparison.Ordinal) ? p.Key[EncoderPrefix.Length..] : p.Key, p => p.Value);
            var expected = model.Encoder.state_dict();
            CheckShapes(expected, stripped, path, EncoderPrefix);
            var used = stripped.Where(p => expected.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value);
            model.Encoder.load_state_dict(used);
            return [.. stripped.Keys.Where(k => !expected.ContainsKey(k))];
        }
        finally
        {
            Dispose(state);
        }
    }

    /// <summary>
    /// Reads a state dict from <c>.safetensors</c> or, only when <paramref name="allowPickle"/> is set, from a PyTorch zip-format
    /// <c>.pt</c>/<c>.pth</c> (a pickle: load one only from a source you trust); the caller disposes the tensors.
    /// </summary>
    /// <exception cref="MedSegException">The file is missing, damaged, or a pickle that was not allowed.</exception>
    public static Dictionary<string, Tensor> ReadStateDict(string path, bool allowPickle = false)
    {
        if (!File.Exists(path))
        {
            throw new MedSegException($"weight file {path} does not exist.");
        }
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                SafetensorsHeader.Check(path);
                return Safetensors.LoadStateDict(path);
            }
            if (!allowPickle)
            {
                throw new MedSegException(
                    $"{path} is not a .safetensors file; MedSeg reads PyTorch pickles (.pt, .pth) only when asked (ModelWeights allowPickle: true), since a pickle from an untrusted source is unsafe: convert it with safetensors.torch.save_file(state_dict, 'model.safetensors').");
            }
            using var stream = File.OpenRead(path);
            var table = PyTorchUnpickler.UnpickleStateDict(stream, false, false);
            return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as Tensor
                ?? throw new MedSegException($"{path} holds a non-tensor entry '{e.Key}'; save the model's state_dict() only."));
        }
        catch (Exception e) when (e is not MedSegException)
        {
            throw new MedSegException(
                $"{path} is not a readable state dict ({e.Message}); save it with safetensors or torch.save(model.state_dict(), path) in PyTorch's zip format.");
        }
    }

    /// <summary>Every key of <paramref name="expected"/> must be in <paramref name="found"/> with the same shape.</summary>
    private static void CheckShapes(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> found, string path, string prefix)
    {
        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            throw new MedSegException(
                $"{path} lacks {missing.Length} of the model's {expected.Count} keys, e.g. '{prefix}{missing[0]}'; is it a weight file of this architecture and encoder?");
        }
        foreach (var (key, tensor) in expected)
        {
            if (!tensor.shape.SequenceEqual(found[key].shape))
            {
                throw new MedSegException(
                    $"{path}: '{prefix}{key}' has shape [{string.Join(", ", found[key].shape)}] but the model expects [{string.Join(", ", tensor.shape)}]; check in_channels, classes and the architecture.");
            }
        }
    }

    private static void Dispose(Dictionary<string, Tensor> state)
    {
        foreach (var tensor in state.Values)
        {
            tensor.Dispose();
        }
    }
}
