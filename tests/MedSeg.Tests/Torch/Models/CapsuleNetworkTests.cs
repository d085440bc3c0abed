using MedSeg.Core;
using MedSeg.Torch.Benchmarks;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Capsules;
using MedSeg.Torch.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// The capsule networks (<c>segcaps</c>, <c>capsnet3d</c>) beyond the shared model contract: dynamic routing against an
/// independent scalar implementation, SegCaps R3's parameter count against a count by hand (and the paper's 1.4 M),
/// the margin loss and the reconstruction regulariser, the options' errors, and a tiny run that learns.
/// </summary>
public sealed class CapsuleNetworkTests
{
    /// <summary>
    /// SegCaps R3's parameters counted layer by layer (2D kernels: 5×5 = 25, transposed 4×4 = 16, final 1×1), each
    /// capsule layer a shared kernel atoms_in → types_out·atoms_out and a bias per output type and atom; the
    /// reconstruction decoder (16·classes → 64 → 128 → channels, 1×1) only when asked for.
    /// </summary>
    public static long SegCapsR3Parameters(int inChannels, int classes, bool reconstruction = false)
    {
        static long Caps(long kernel, long inAtoms, long types, long atoms) => kernel * inAtoms * types * atoms + types * atoms;
        var count = inChannels * 16 * 25 + 16 // conv1
            + Caps(25, 16, 2, 16) + Caps(25, 16, 4, 16) + Caps(25, 16, 4, 32) // primary_caps, conv_cap_2_1, conv_cap_2_2
            + Caps(25, 32, 8, 32) + Caps(25, 32, 8, 64) + Caps(25, 64, 8, 32) // conv_cap_3_1, conv_cap_3_2, conv_cap_4_1
            + Caps(16, 32, 8, 32) + Caps(25, 32, 4, 32) // deconv_cap_1_1, deconv_cap_1_2
            + Caps(16, 32, 4, 16) + Caps(25, 16, 4, 16) // deconv_cap_2_1, deconv_cap_2_2
            + Caps(16, 16, 2, 16) + Caps(1, 16, classes, 16); // deconv_cap_3_1, seg_caps
        return reconstruction ? count + (16 * classes * 64 + 64) + (64 * 128 + 128) + (128 * inChannels + inChannels) : count;
    }

    [Fact]
    public void SegCapsR3HasThePapersParameterCount()
    {
        using var plain = ModelFactory.Create("segcaps", ModelFactory.NoEncoder, 1, 1);
        using var regularised = ModelFactory.Create("segcaps", ModelFactory.NoEncoder, 1, 1, new ModelOptions { Reconstruction = true });
        var count = plain.parameters().Sum(p => p.numel());
        Assert.Equal(SegCapsR3Parameters(1, 1), count);
        Assert.Equal(1_416_112L, count);
        Assert.Equal(SegCapsR3Parameters(1, 1, reconstruction: true), regularised.parameters().Sum(p => p.numel()));
        // LaLonde & Bagci report 1.4 M parameters for SegCaps R3 (U-Net: 31 M).
        Assert.InRange(regularised.parameters().Sum(p => p.numel()), 1_350_000L, 1_450_000L);
    }

    [Fact]
    public void CapsNet3DFollowsTheReferenceLayout()
    {
        using var model = ModelFactory.Create("capsnet3d", ModelFactory.NoEncoder, 1, 2);
        var state = model.state_dict();
        // Avesta et al.'s ConvCaps9: 16 types of 32 atoms in, 8 types of 32 atoms out (SegCaps has 4), kernel 5³.
        Assert.Equal(new long[] { 8 * 32, 32, 5, 5, 5 }, state["deconv_cap_1_2.conv.weight"].shape);
        Assert.Equal(new long[] { 32, 4 * 16, 4, 4, 4 }, state["deconv_cap_2_1.conv.weight"].shape);
        Assert.Equal(new long[] { 1, 1, 2, 16, 1, 1, 1 }, state["seg_caps.bias"].shape);
        Assert.Equal(8, model.SizeMultiple);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RoutingAgreesWithAScalarImplementation(int iterations)
    {
        // 2 input capsule types, 2 output types of 2 atoms, at 1×2 positions.
        float[] votes = [0.5f, -1f, 2f, 0.25f, 1.5f, 0.5f, -0.5f, 1f, 0.2f, 0.8f, -1.2f, 0.4f, 1f, 1f, 0.3f, -0.7f];
        float[] bias = [0.1f, -0.2f, 0.3f, 0.05f];
        using var scope = NewDisposeScope();
        var v = tensor(votes).reshape(1, 2, 2, 2, 1, 2);
        var b = tensor(bias).reshape(1, 1, 2, 2, 1, 1);
        var actual = DynamicRouting.Squash(DynamicRouting.Preactivation(v, b, iterations), 2);
        Assert.Equal(new long[] { 1, 2, 2, 1, 2 }, actual.shape);
        var got = actual.data<float>().ToArray();
        for (var position = 0; position < 2; position++)
        {
            var expected = ScalarRouting(votes, bias, position, iterations);
            for (var j = 0; j < 2; j++)
            {
                for (var p = 0; p < 2; p++)
                {
                    Assert.Equal(expected[j, p], got[(j * 2 + p) * 2 + position], 1e-5);
                }
            }
        }
    }

    [Fact]
    public void OneRoutingIterationAveragesTheVotes()
    {
        // Hand-computed: one input type voting (3, 4) for one output type; s = (3, 4) + 0 → |s|² = 25,
        // v = 25/26 · (3, 4)/5 = (0.576923, 0.769231).
        using var scope = NewDisposeScope();
        var v = DynamicRouting.Squash(DynamicRouting.Preactivation(tensor(new[] { 3f, 4f }).reshape(1, 1, 1, 2, 1, 1), zeros(new long[] { 1, 1, 1, 2, 1, 1 }), 1), 2);
        var got = v.data<float>().ToArray();
        Assert.Equal(0.576923, got[0], 5);
        Assert.Equal(0.769231, got[1], 5);
    }

    /// <summary>Sabour et al.'s routing for one position, written with scalars and loops.</summary>
    private static double[,] ScalarRouting(float[] votes, float[] bias, int position, int iterations)
    {
        double U(int i, int j, int p) => votes[((i * 2 + j) * 2 + p) * 2 + position];
        var logits = new double[2, 2];
        var v = new double[2, 2];
        for (var t = 0; t < iterations; t++)
        {
            for (var j = 0; j < 2; j++)
            {
                var s = new double[2];
                for (var p = 0; p < 2; p++)
                {
                    s[p] = bias[j * 2 + p];
                    for (var i = 0; i < 2; i++)
                    {
                        var c = Math.Exp(logits[i, j]) / (Math.Exp(logits[i, 0]) + Math.Exp(logits[i, 1]));
                        s[p] += c * U(i, j, p);
                    }
                }
                var squared = s[0] * s[0] + s[1] * s[1];
                for (var p = 0; p < 2; p++)
                {
                    v[j, p] = squared / (1 + squared) * s[p] / Math.Sqrt(squared);
                }
            }
            for (var i = 0; i < 2; i++)
            {
                for (var j = 0; j < 2; j++)
                {
                    logits[i, j] += U(i, j, 0) * v[j, 0] + U(i, j, 1) * v[j, 1];
                }
            }
        }
        return v;
    }

    [Fact]
    public void MarginLossMatchesHandComputedValues()
    {
        using var scope = NewDisposeScope();
        // logit 0 → p = 0.5: present (0.9 − 0.5)² = 0.16; absent 0.5·(0.5 − 0.1)² = 0.08; mean 0.12.
        var value = SegmentationLoss.Parse("margin").Compute(zeros(1, 1, 1, 2), tensor(new[] { 1f, 0f }).reshape(1, 1, 1, 2));
        Assert.Equal(0.12, value.item<float>(), 5);
        // Confident and right costs nothing: p ≈ 1 on the object, p ≈ 0 off it.
        var right = SegmentationLoss.Parse("margin").Compute(tensor(new[] { 10f, -10f }).reshape(1, 1, 1, 2), tensor(new[] { 1f, 0f }).reshape(1, 1, 1, 2));
        Assert.Equal(0, right.item<float>(), 6);
    }

    [Theory]
    [InlineData("segcaps")]
    [InlineData("capsnet3d")]
    public void ReconstructionLossTrainsEveryParameter(string arch)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var volumetric = ModelFactory.IsVolumetric(arch);
        using var model = ModelFactory.Create(arch, ModelFactory.NoEncoder, 2, 2, new ModelOptions { Reconstruction = true, Features = 4 });
        long[] shape = volumetric ? [1, 2, 8, 8, 8] : [2, 2, 16, 16];
        var x = rand(shape);
        var targets = rand([shape[0], 2, .. shape[2..]]).gt(0.7).to_type(ScalarType.Float32);
        var segmentation = SegmentationLoss.Parse("margin+dice");
        var total = new NetworkLoss(segmentation, 0.5).Compute(model, x, targets, null);
        var alone = segmentation.Compute(model.call(x), targets);
        Assert.True(total.item<float>() > alone.item<float>(), "the reconstruction term adds to the loss");
        total.backward();
        Assert.Empty(model.named_parameters().Where(p => p.parameter.grad is null).Select(p => p.name));
        Assert.All(model.parameters(), p => Assert.True(p.grad!.isfinite().all().item<bool>()));
    }

    [Fact]
    public void OptionsOfTheWrongModeOrNetworkAreClearErrors()
    {
        var segcaps3d = Assert.Throws<MedSegException>(() => new TrainConfig { Mode = "3d", Arch = "segcaps" }.Validate());
        Assert.Contains("--mode 3d", segcaps3d.Message);
        Assert.Contains("--arch segcaps is 2D", segcaps3d.Message);
        Assert.Contains("capsnet3d", segcaps3d.Message);
        foreach (var mode in new[] { "2d", "2.5d" })
        {
            var capsnet2d = Assert.Throws<MedSegException>(() => new TrainConfig { Mode = mode, Arch = "capsnet3d" }.Validate());
            Assert.Contains("--arch capsnet3d is a 3D network", capsnet2d.Message);
            Assert.Contains("--mode 3d", capsnet2d.Message);
        }
        Assert.Contains("--routings", Assert.Throws<MedSegException>(() => new TrainConfig { Arch = "unet", Routings = 2 }.Validate()).Message);
        Assert.Contains("--routings 0", Assert.Throws<MedSegException>(() => new TrainConfig { Arch = "segcaps", Routings = 0 }.Validate()).Message);
        Assert.Contains("--encoder none", Assert.Throws<MedSegException>(() => ModelFactory.Check("segcaps", "resnet34")).Message);
        Assert.Contains("--levels", Assert.Throws<MedSegException>(() => ModelFactory.Create("capsnet3d", "none", 1, 1, new ModelOptions { Levels = 3 })).Message);
        Assert.Equal(ModelFactory.NoEncoder, new TrainConfig { Arch = "segcaps" }.Encoder);
        new TrainConfig { Arch = "segcaps", Routings = 2, Reconstruction = 0.1 }.Validate();
        Assert.Contains("--reconstruction", Assert.Throws<MedSegException>(() => new TrainConfig { Arch = "segcaps", Reconstruction = 0.1 }.Validate(LossMode.Multiclass)).Message);
        new TrainConfig { Mode = "3d", Arch = "capsnet3d" }.Validate();
    }

    [Fact]
    public void BenchTrainTimesThreeDimensionalCapsulesPerExample()
    {
        var options = new ModelBenchmark.Options("capsnet3d", Batch: 2, Height: 8, Width: 16, Depth: 8, Classes: 1, Steps: 1, Warmup: 0, Precision: "fp32");
        var result = ModelBenchmark.Run(options, training: true);
        Assert.Equal("none", result["encoder"]);
        Assert.Equal("8x8x16", result["size"]);
        Assert.Equal((double)result["ms_per_step"] / 2, (double)result["ms_per_example"], 0.1);
        Assert.True((long)result["peak_mb"] > 0);
        var flat = Assert.Throws<MedSegException>(() => ModelBenchmark.Run(options with { Depth = 0 }, training: true));
        Assert.Contains("--size DxHxW", flat.Message);
    }

    [Fact]
    public void RoutingIterationsChangeTheOutputButNotTheWeights()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var three = ModelFactory.Create("segcaps", ModelFactory.NoEncoder, 1, 1, new ModelOptions { Features = 4 });
        manual_seed(5);
        using var one = ModelFactory.Create("segcaps", ModelFactory.NoEncoder, 1, 1, new ModelOptions { Features = 4, Routings = 1 });
        Assert.Equal(three.parameters().Sum(p => p.numel()), one.parameters().Sum(p => p.numel()));
        three.eval();
        one.eval();
        using var noGrad = no_grad();
        // Inputs large enough for the votes to disagree, so that routing moves the coupling coefficients off 1/types.
        var x = randn(1, 1, 16, 16).mul(100);
        var difference = three.call(x).sub(one.call(x)).abs().max().item<float>();
        Assert.True(difference > 1e-5, $"3 and 1 routing iterations differ by {difference:g3} only");
    }

    [Fact]
    public void TinySegCapsRunLearnsASquare()
    {
        const int Steps = 60;
        manual_seed(11);
        // Four atoms on the first level (a sixteenth of the paper's compute) keep the test short on a loaded CPU.
        using var model = ModelFactory.Create("segcaps", ModelFactory.NoEncoder, 1, 1, new ModelOptions { Features = 4 });
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        var loss = SegmentationLoss.Parse("bce+dice");
        var generator = new Random(2);
        model.train();
        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            var (x, y) = Squares(generator, 4);
            optimizer.zero_grad();
            loss.Compute(model.call(x), y).backward();
            optimizer.step();
        }
        model.eval();
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (x, y) = Squares(generator, 8);
            var predicted = model.call(x).sigmoid().gt(0.5).to_type(ScalarType.Float32);
            var dice = 2 * predicted.mul(y).sum().item<float>() / (predicted.sum().item<float>() + y.sum().item<float>());
            // An empty prediction scores 0.
            Assert.True(dice > 0.7, $"Dice {dice:F3} after {Steps} steps");
        }
    }

    /// <summary>Noisy 16×16 images with a bright square of side 5–8 somewhere, and its mask.</summary>
    private static (Tensor Images, Tensor Masks) Squares(Random generator, int count)
    {
        var masks = zeros(count, 1, 16, 16);
        for (var n = 0; n < count; n++)
        {
            var side = generator.Next(5, 9);
            var top = generator.Next(0, 16 - side);
            var left = generator.Next(0, 16 - side);
            masks[n, 0, TensorIndex.Slice(top, top + side), TensorIndex.Slice(left, left + side)] = tensor(1f);
        }
        return (masks.mul(2).add(randn(count, 1, 16, 16).mul(0.3)), masks);
    }
}
