using System.Text.Json;
using MedSeg.Cli;
using MedSeg.Torch.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// Model checks that observe or change process-wide state — libtorch's live tensor count, TorchSharp's default device
/// (parameter counting on the meta device), the console — and so run alone.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class ModelProcessStateTests
{
    public static TheoryData<string, string> OnePerArchitecture()
    {
        var data = new TheoryData<string, string>();
        foreach (var arch in ModelFactory.TwoDimensional)
        {
            data.Add(arch, "resnet18");
        }
        foreach (var arch in ModelFactory.EncoderFreeTwoDimensional.Concat(ModelFactory.ThreeDimensional))
        {
            data.Add(arch, ModelFactory.NoEncoder);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OnePerArchitecture))]
    public void LiveTensorCountStaysFlatOverForwardBackwardSteps(string arch, string encoder)
    {
        var volumetric = ModelFactory.IsVolumetric(arch);
        using var model = ModelFactory.Create(arch, encoder, 1, 2, new ModelOptions { Classification = true, Features = volumetric ? 8 : null });
        using var optimizer = optim.AdamW(model.parameters());
        long[] shape = volumetric ? [1, 1, 16, 16, 16] : [2, 1, 32, 32];
        var counts = new List<long>();
        for (var step = 0; step < 3; step++)
        {
            using (var scope = NewDisposeScope())
            {
                // Train as the trainer does by default (bf16 convolutions, channels-last), evaluate in fp32.
                using (Autocast.BFloat16())
                {
                    model.train();
                    optimizer.zero_grad();
                    var (mask, classLogits) = model.ForwardWithClassification(randn(shape));
                    mask.sigmoid().mean().add(classLogits.sigmoid().mean()).backward();
                    optimizer.step();
                }
                model.eval();
                using var noGrad = no_grad();
                model.call(randn(shape));
            }
            // Tensors left unreferenced by earlier tests are finalised at random times; settle them before counting.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            counts.Add(torch.Tensor.TotalCount);
        }
        Assert.Equal(counts[1], counts[^1]);
    }

    [Fact]
    public void ParameterCountsFromShapesEqualCountsOfBuiltModels()
    {
        foreach (var (arch, encoder) in new[] { ("unet", "resnet34"), ("upernet", "resnet18"), ("segresnet", "none") })
        {
            using var model = ModelFactory.Create(arch, encoder, 3, 1);
            Assert.Equal(model.parameters().Sum(p => p.numel()), ModelFactory.CountParameters(arch, encoder, 3, 1));
        }
        Assert.Equal(CPU.type, get_default_device().type);
    }

    [Fact]
    public void ModelsCommandListsEveryArchitectureAndEncoderWithParameterCounts()
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = CommandLine.Run(["models", "--json"]);
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, code);
        var models = JsonDocument.Parse(output.ToString()).RootElement.GetProperty("models").EnumerateArray()
            .Select(m => (Arch: m.GetProperty("arch").GetString()!, Encoder: m.GetProperty("encoder").GetString()!,
                InChannels: m.GetProperty("in_channels").GetInt32(), Classes: m.GetProperty("classes").GetInt32(), Params: m.GetProperty("params").GetInt64()))
            .ToArray();
        // Every 2D decoder and the classifier on every encoder, and the encoder-free networks (2D segcaps, the 3D ones).
        Assert.Equal((ModelFactory.TwoDimensional.Count + 1) * EncoderRegistry.Names.Count + ModelFactory.EncoderFreeTwoDimensional.Count
            + ModelFactory.ThreeDimensional.Count, models.Length);
        Assert.All(EncoderRegistry.Names, encoder => Assert.Contains(models, m => m.Arch == "classifier" && m.Encoder == encoder));
        Assert.Contains(("unet", "resnet34", 3, 1, 24_436_369L), models);
        Assert.All(ModelFactory.ThreeDimensional.Concat(ModelFactory.EncoderFreeTwoDimensional),
            arch => Assert.Contains(models, m => m.Arch == arch && m.Encoder == ModelFactory.NoEncoder));
        // SegCaps R3 with one input channel and one class, counted by hand in CapsuleNetworkTests.
        Assert.Contains(models, m => m.Arch == "segcaps" && m.Params == CapsuleNetworkTests.SegCapsR3Parameters(3, 1));
        Assert.All(models, m => Assert.True(m.Params > 0));
    }
}
