using System.Diagnostics;
using MedSeg.Core;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>Weight interchange: shape checks before loading, encoder-only (torchvision-keyed) state dicts, and PyTorch's own files.</summary>
public sealed class ModelWeightsTests
{
    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("model.pt")]
    public void WrongShapeNamesTheKeyAndBothShapesBeforeLoadingAnything(string file)
    {
        using var folder = new TempFolder();
        using var threeChannels = SmallSegResNet(inChannels: 3, levels: 4);
        Save(threeChannels, folder.Combine(file));
        using var oneChannel = SmallSegResNet(inChannels: 1, levels: 4);
        var before = oneChannel.state_dict()["conv_final.2.conv.weight"].clone();

        var error = Assert.Throws<MedSegException>(() => ModelWeights.Load(oneChannel, folder.Combine(file), allowPickle: true));

        Assert.Contains("'convInit.conv.weight'", error.Message);
        Assert.Contains("[8, 3, 3, 3, 3]", error.Message);
        Assert.Contains("[8, 1, 3, 3, 3]", error.Message);
        Assert.True(before.allclose(oneChannel.state_dict()["conv_final.2.conv.weight"], rtol: 0, atol: 0), "nothing may be loaded when a shape is wrong");
    }

    [Fact]
    public void MissingAndUnexpectedKeysAreErrors()
    {
        using var folder = new TempFolder();
        using var plain = SmallSegResNet(inChannels: 1, levels: 3);
        using var gated = SmallSegResNet(inChannels: 1, levels: 3, classification: true);
        Save(plain, folder.Combine("plain.pt"));
        Save(gated, folder.Combine("gated.safetensors"));

        var missing = Assert.Throws<MedSegException>(() => ModelWeights.Load(gated, folder.Combine("plain.pt"), allowPickle: true));
        Assert.Contains("lacks 2 of the model's", missing.Message);
        Assert.Contains("'classification_head.3.", missing.Message);
        var unexpected = Assert.Throws<MedSegException>(() => ModelWeights.Load(plain, folder.Combine("gated.safetensors")));
        Assert.Contains("holds 2 key(s) the model lacks", unexpected.Message);
        File.WriteAllText(folder.Combine("broken.pt"), "not a state dict");
        Assert.Contains("broken.pt", Assert.Throws<MedSegException>(() => ModelWeights.Load(plain, folder.Combine("broken.pt"), allowPickle: true)).Message);
        Assert.Contains("does not exist", Assert.Throws<MedSegException>(() => ModelWeights.Load(plain, folder.Combine("none.pt"))).Message);
    }

    private static SegmentationModel SmallSegResNet(int inChannels, int levels, bool classification = false) =>
        ModelFactory.Create("segresnet", ModelFactory.NoEncoder, inChannels, 1, new ModelOptions { Levels = levels, Classification = classification });

    [Fact]
    public void TorchvisionKeyedEncoderWeightsLoadIntoAModelsEncoder()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var source = EncoderRegistry.Create("resnet18", 3);
        TrainOneStep(source);
        // A torchvision classifier's state dict: the encoder's keys without smp's prefix, plus the classifier.
        var state = source.state_dict();
        state["fc.weight"] = randn(1000, 512);
        state["fc.bias"] = randn(1000);
        PyTorchPickler.PickleStateDict(folder.Combine("resnet18.pth"), state);

        using var model = new Unet("resnet18", 3, 1);
        var ignored = ModelWeights.LoadEncoder(model, folder.Combine("resnet18.pth"), allowPickle: true);

        Assert.Equal(["fc.bias", "fc.weight"], ignored.Order());
        AssertSameFeatures(source, model.Encoder, randn(2, 3, 64, 64));
    }

    [Fact]
    public void EncoderOfOneArchitectureLoadsIntoAnother()
    {
        using var folder = new TempFolder();
        using var scope = NewDisposeScope();
        using var unet = new Unet("resnet18", 5, 2);
        TrainOneStep(unet);
        ModelWeights.SaveSafetensors(unet, folder.Combine("unet.safetensors"));

        using var fpn = new Fpn("resnet18", 5, 3);
        var ignored = ModelWeights.LoadEncoder(fpn, folder.Combine("unet.safetensors"));

        Assert.Contains("decoder.blocks.0.conv1.0.weight", ignored);
        Assert.Contains("segmentation_head.0.weight", ignored);
        AssertSameFeatures(unet.Encoder, fpn.Encoder, randn(1, 5, 64, 64));
    }

    /// <summary>
    /// The independent check: torchvision's ResNet-34, saved by PyTorch itself, loads into MedSeg's encoder and gives
    /// the same feature maps. Needs Debian's python3-torch and python3-torchvision (skipped, saying so, without them).
    /// </summary>
    [PyTorchFact]
    public void TorchvisionResNet34SavedByPyTorchGivesIdenticalFeatures()
    {
        using var folder = new TempFolder();
        var script = folder.Combine("reference.py");
        File.WriteAllText(script, """
            import sys
            from collections import OrderedDict
            import torch, torchvision
            torch.manual_seed(0)
            m = torchvision.models.resnet34()
            with torch.no_grad():  # BatchNorm statistics away from 0/1, so eval mode exercises them
                for b in m.modules():
                    if isinstance(b, torch.nn.BatchNorm2d):
                        b.running_mean.uniform_(-0.5, 0.5); b.running_var.uniform_(0.5, 1.5)
                        b.weight.uniform_(0.5, 1.5); b.bias.uniform_(-0.2, 0.2)
            m.eval()
            torch.save(m.state_dict(), sys.argv[1])
            x = torch.randn(2, 3, 64, 96)
            with torch.no_grad():
                stem = m.relu(m.bn1(m.conv1(x)))
                f1 = m.layer1(m.maxpool(stem)); f2 = m.layer2(f1); f3 = m.layer3(f2); f4 = m.layer4(f3)
            torch.save(OrderedDict(x=x, stem=stem, f1=f1, f2=f2, f3=f3, f4=f4), sys.argv[2])
            """);
        PyTorchReference.Run(script, folder.Combine("resnet34.pth"), folder.Combine("features.pt"));

        using var scope = NewDisposeScope();
        using var model = new Unet("resnet34", 3, 1);
        var ignored = ModelWeights.LoadEncoder(model, folder.Combine("resnet34.pth"), allowPickle: true);
        Assert.Equal(["fc.bias", "fc.weight"], ignored.Order());
        var reference = ModelWeights.ReadStateDict(folder.Combine("features.pt"), allowPickle: true);
        model.eval();
        using var noGrad = no_grad();
        var features = model.Encoder.call(reference["x"]);
        string[] names = ["stem", "f1", "f2", "f3", "f4"];
        for (var i = 0; i < names.Length; i++)
        {
            // Relative to the feature's scale: the deep features reach tens, where two fp32 convolution libraries
            // (oneDNN builds, instruction sets, summation orders) differ in the sixth or seventh digit.
            var scale = reference[names[i]].abs().max().item<float>();
            var difference = (features[i + 1] - reference[names[i]]).abs().max().item<float>();
            Assert.True(difference < 1e-5 * Math.Max(1, scale), $"{names[i]} differs from torchvision by {difference} (largest value {scale})");
        }
    }

    private static void Save(nn.Module model, string path)
    {
        if (path.EndsWith(".safetensors", StringComparison.Ordinal))
        {
            ModelWeights.SaveSafetensors(model, path);
        }
        else
        {
            ModelWeights.ExportPyTorch(model, path);
        }
    }

    /// <summary>One training forward/backward, so BatchNorm statistics differ from a fresh model's.</summary>
    private static void TrainOneStep(SegmentationModel model)
    {
        using var scope = NewDisposeScope();
        model.train();
        model.call(randn(2, model.InChannels, 64, 64)).sum().backward();
    }

    private static void TrainOneStep(Encoder encoder)
    {
        using var scope = NewDisposeScope();
        encoder.train();
        encoder.call(randn(2, 3, 64, 64))[^1].sum().backward();
    }

    private static void AssertSameFeatures(Encoder expected, Encoder actual, Tensor x)
    {
        expected.eval();
        actual.eval();
        using var noGrad = no_grad();
        var a = expected.call(x);
        var b = actual.call(x);
        Assert.Equal(a.Length, b.Length);
        Assert.All(a.Zip(b), pair => Assert.True(pair.First.allclose(pair.Second, rtol: 0, atol: 0)));
    }
}

/// <summary>A fact that needs <c>/usr/bin/python3</c> with PyTorch and torchvision; skipped, with the reason, where they are absent.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    public PyTorchFactAttribute()
    {
        if (!PyTorchReference.Available)
        {
            Skip = $"{PyTorchReference.Python} with torch and torchvision is absent (apt-get install python3-torch python3-torchvision libopenblas0-pthread)";
        }
    }
}

/// <summary>Debian's Python with PyTorch, used only as an independent reference in tests.</summary>
internal static class PyTorchReference
{
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> IsAvailable = new(() =>
    {
        try
        {
            return RunProcess("-c", "import torch, torchvision").ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool Available => IsAvailable.Value;

    public static void Run(params string[] arguments)
    {
        var (code, error) = RunProcess(arguments);
        Assert.True(code == 0, $"{Python} {string.Join(' ', arguments)} failed: {error}");
    }

    private static (int ExitCode, string Error) RunProcess(params string[] arguments)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            return (-1, "timed out");
        }
        return (process.ExitCode, error.Result);
    }
}
