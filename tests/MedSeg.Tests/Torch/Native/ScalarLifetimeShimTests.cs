using System.Diagnostics;
using System.Runtime.InteropServices;
using MedSeg.Torch.Losses;
using MedSeg.Torch.Models;
using MedSeg.Torch.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

/// <summary>
/// Without the shim each of these fails several times a second under constant collections (measured: TorchSharp's
/// BatchNorm2d, x + 0.5, x + y, clamp_min, masked_fill all gave exceptions or wrong values within 3 s).
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class ScalarLifetimeShimTests
{
    private static bool ShimExpected => LinuxX64FactAttribute.IsLinuxX64;

    private static long FailuresUnderPressure(Func<Tensor> operation, Tensor? expected, TimeSpan duration)
    {
        long failures = 0;
        using var pressure = new GarbageCollectionPressure();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            using var scope = NewDisposeScope();
            try
            {
                var result = operation();
                if (expected is not null && !result.eq(expected).all().item<bool>())
                {
                    failures++;
                }
            }
            catch (ExternalException)
            {
                failures++;
            }
        }
        return failures;
    }

    [Fact]
    public void TorchSharpIsBoundToTheShimOnLinux()
    {
        using var scope = NewDisposeScope();
        _ = ones(2) + 1;
        Assert.Equal(ShimExpected, ScalarLifetimeShim.IsActive);
        Assert.Equal(ShimExpected ? 65536 : 0, ScalarLifetimeShim.DeferredDisposals);
    }

    [LinuxX64Fact]
    public void TorchSharpsOwnBatchNormAndScalarArithmeticSurviveConstantCollections()
    {
        using var scope = NewDisposeScope();
        var norm = nn.BatchNorm2d(4);
        norm.train();
        var x = randn(4, 4, 2, 2);
        var y = randn(4, 4, 2, 2);
        var second = TimeSpan.FromSeconds(1);
        Assert.Equal(0, FailuresUnderPressure(() => norm.call(x), null, second));
        Assert.Equal(0, FailuresUnderPressure(() => x + 0.5, x + 0.5, second));
        Assert.Equal(0, FailuresUnderPressure(() => x + y, x + y, second));
        Assert.Equal(0, FailuresUnderPressure(() => (1.0 - x).clamp_min(0.25), (1.0 - x).clamp_min(0.25), second));
    }

    [LinuxX64Fact]
    public void TrainingStepsUnderConstantCollectionsEqualQuietOnes()
    {
        float[] Train(bool underPressure)
        {
            using var scope = NewDisposeScope();
            manual_seed(1);
            var model = ModelFactory.Create("unet", "resnet18", 1, 3);
            var optimizer = new MedSeg.Torch.Training.Optimizers.AdamW(model.parameters(), 1e-3, 0.01);
            var loss = SegmentationLoss.Parse("bce:0.5+dice:0.5");
            manual_seed(2);
            var x = randn(2, 1, 32, 32);
            var y = rand(2, 3, 32, 32).gt(0.7).to_type(ScalarType.Float32);
            using (underPressure ? new GarbageCollectionPressure() : null)
            {
                for (var step = 0; step < 6; step++)
                {
                    using var stepScope = NewDisposeScope();
                    optimizer.zero_grad();
                    loss.Compute(model.call(x), y).backward();
                    optimizer.step();
                }
            }
            return model.parameters().First().detach().flatten().data<float>().ToArray();
        }

        Assert.Equal(Train(underPressure: false), Train(underPressure: true));
    }
}

/// <summary>A fact that needs the scalar-lifetime shim, which is built for Linux x64 only; skipped (saying so) elsewhere.</summary>
public sealed class LinuxX64FactAttribute : FactAttribute
{
    public static bool IsLinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    public LinuxX64FactAttribute()
    {
        if (!IsLinuxX64)
        {
            Skip = "MedSeg's scalar-lifetime shim is built for Linux x64 only";
        }
    }
}
