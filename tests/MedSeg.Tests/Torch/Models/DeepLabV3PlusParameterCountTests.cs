using MedSeg.Torch.Models;
using TorchSharp;

namespace MedSeg.Tests.Torch.Models;

/// <summary>
/// Parameter counts through <see cref="ModelFactory.CountParameters"/>, which builds on libtorch's process-wide meta
/// device: sequential, so no parallel test creates its tensors there meanwhile.
/// </summary>
[Collection(nameof(SequentialCollection))]
public sealed class DeepLabV3PlusParameterCountTests
{
    [Fact]
    public void DilationAddsNoParametersAndKeepsTheKeys()
    {
        // smp.DeepLabV3Plus("resnet34", in_channels=1, classes=3), counted by hand: encoder 21,797,672 − fc 513,000
        // − 2 of conv1's 3 input channels 6,272; ASPP 1,068,288; block1 3,168; block2 81,072; head 771.
        const long expected = 22_431_699;
        foreach (int? outputStride in new int?[] { null, 8, 16, 32 })
        {
            Assert.Equal(expected, ModelFactory.CountParameters("deeplabv3plus", "resnet34", 1, 3, new ModelOptions { OutputStride = outputStride }));
        }
        using var os16 = ModelFactory.Create("deeplabv3plus", "resnet18", 1, 3);
        using var os32 = ModelFactory.Create("deeplabv3plus", "resnet18", 1, 3, new ModelOptions { OutputStride = 32 });
        Assert.Equal(os32.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))), os16.state_dict().Select(p => (p.Key, string.Join("x", p.Value.shape))));
    }
}
