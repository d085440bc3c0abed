using System.Diagnostics;
using MedSegOptim = MedSeg.Torch.Training.Optimizers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Tests.Torch.Native;

[Collection(nameof(SequentialCollection))]
public sealed class OptimizerTests
{
    private static Parameter[] Parameters() =>
    [
        new(linspace(-1, 1, 12).reshape(3, 4)),
        new(tensor(new[] { 0.5f, -0.25f })),
    ];

    /// <summary>Seven gradient sets, computed before any pressure starts: the arithmetic that makes them passes
    /// temporary scalars itself, and the loop below must call nothing but the optimizer and <c>copy_</c>.</summary>
    private static Tensor[][] Gradients(Parameter[] parameters) =>
        Enumerable.Range(0, 7).Select(step => parameters.Select((parameter, index) =>
            (sin(parameter.detach() * (step + 1) + index) * 0.3).detach()).ToArray()).ToArray();

    private static void SetGradients(Parameter[] parameters, Tensor[] gradients)
    {
        foreach (var (parameter, gradient) in parameters.Zip(gradients))
        {
            if (parameter.grad is null)
            {
                parameter.grad = gradient.clone().DetachFromDisposeScope();
            }
            else
            {
                parameter.grad.copy_(gradient);
            }
        }
    }

    private static Parameter[] Run(Func<Parameter[], OptimizerHelper> create, int steps, bool underPressure = false)
    {
        var parameters = Parameters();
        var gradients = Gradients(parameters);
        var optimizer = create(parameters);
        using var pressure = underPressure ? new GarbageCollectionPressure() : null;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            SetGradients(parameters, gradients[step % 7]);
            optimizer.step();
        }
        return parameters;
    }

    private static void AssertBitwiseEqual(Parameter[] expected, Parameter[] actual)
    {
        foreach (var (e, a) in expected.Zip(actual))
        {
            Assert.True(e.eq(a).all().item<bool>(), $"{e.max().item<float>()} vs {a.max().item<float>()}");
        }
    }

    [Fact]
    public void AdamWEqualsTorchSharpsBitForBit()
    {
        using var scope = NewDisposeScope();
        AssertBitwiseEqual(
            Run(p => optim.AdamW(p, 0.01, weight_decay: 0.05), steps: 5),
            Run(p => new MedSegOptim.AdamW(p, 0.01, 0.05), steps: 5));
    }

    [Fact]
    public void NesterovSgdEqualsTorchSharpsBitForBit()
    {
        using var scope = NewDisposeScope();
        AssertBitwiseEqual(
            Run(p => optim.SGD(p, 0.05, momentum: 0.99, weight_decay: 3e-5, nesterov: true), steps: 5),
            Run(p => new MedSegOptim.SGD(p, 0.05, momentum: 0.99, 3e-5, nesterov: true), steps: 5));
    }

    [Fact]
    public void SavedStateLoadsIntoTorchSharpsAdamWAndBack()
    {
        using var scope = NewDisposeScope();
        var path = Path.Combine(Path.GetTempPath(), $"medseg-adamw-{Guid.NewGuid():N}.bin");
        try
        {
            var parameters = Run(p => new MedSegOptim.AdamW(p, 0.01, 0.05), steps: 3);
            var mine = new MedSegOptim.AdamW(parameters, 0.01, 0.05);
            SetGradients(parameters, Gradients(parameters)[0]);
            mine.step();
            mine.save_state_dict(path);
            var reference = optim.AdamW(parameters, 0.01, weight_decay: 0.05);
            reference.load_state_dict(path);
            Assert.Equal(1L, ((AdamW.State)reference.state_dict().State[0]).step);
            reference.step();
            reference.save_state_dict(path);
            var again = new MedSegOptim.AdamW(parameters, 0.01, 0.05);
            again.load_state_dict(path);
            Assert.Equal(2L, ((AdamW.State)again.state_dict().State[0]).step);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StepsUnderConstantGarbageCollectionGiveTheSameParameters()
    {
        using var scope = NewDisposeScope();
        const int steps = 3000;
        var clock = Stopwatch.StartNew();
        AssertBitwiseEqual(
            Run(p => new MedSegOptim.AdamW(p, 1e-3, 0.01), steps),
            Run(p => new MedSegOptim.AdamW(p, 1e-3, 0.01), steps, underPressure: true));
        AssertBitwiseEqual(
            Run(p => new MedSegOptim.SGD(p, 1e-3, 0.9, 0.01, nesterov: true), steps),
            Run(p => new MedSegOptim.SGD(p, 1e-3, 0.9, 0.01, nesterov: true), steps, underPressure: true));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
    }
}
