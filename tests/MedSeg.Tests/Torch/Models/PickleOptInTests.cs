using MedSeg.Core;
using MedSeg.Tests.Core.IO;
using MedSeg.Torch.Models;

namespace MedSeg.Tests.Torch.Models;

/// <summary>A PyTorch pickle (<c>.pt</c>) loads only when the caller allows pickles; safetensors needs no permission.</summary>
public sealed class PickleOptInTests
{
    [Fact]
    public void A_pickle_is_refused_unless_allowed_and_nothing_is_loaded()
    {
        using var folder = new TempFolder();
        using var source = ModelFactory.Create("unet", "resnet18", 1, 2);
        using var target = ModelFactory.Create("unet", "resnet18", 1, 2);
        var path = folder.Combine("weights.pt");
        ModelWeights.ExportPyTorch(source, path);
        var before = target.state_dict()["segmentation_head.0.weight"].clone();

        var error = Assert.Throws<MedSegException>(() => ModelWeights.Load(target, path));
        Assert.Contains(path, error.Message);
        Assert.Contains("allowPickle", error.Message);
        Assert.True(before.allclose(target.state_dict()["segmentation_head.0.weight"], rtol: 0, atol: 0));

        ModelWeights.Load(target, path, allowPickle: true);
        Assert.True(source.state_dict()["segmentation_head.0.weight"].allclose(target.state_dict()["segmentation_head.0.weight"], rtol: 0, atol: 0));
    }
}
