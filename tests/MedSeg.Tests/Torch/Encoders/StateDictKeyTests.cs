using MedSeg.Torch.Models;
using MedSeg.Torch.Models.Encoders;

namespace MedSeg.Tests.Torch.Encoders;

/// <summary>
/// State-dict keys and shapes follow the reference implementations (torchvision's <c>resnet.py</c>,
/// <c>efficientnet.py</c>, <c>convnext.py</c>, <c>swin_transformer.py</c>; pretrainedmodels' <c>senet.py</c>), so
/// their checkpoints load; 5 input channels show the patched first convolution.
/// </summary>
public sealed class StateDictKeyTests
{
    private static readonly Dictionary<string, (string Key, long[] Shape)[]> EncoderKeys = new()
    {
        ["resnet50"] =
        [
            ("conv1.weight", [64, 5, 7, 7]),
            ("layer1.0.conv3.weight", [256, 64, 1, 1]),
            ("layer1.0.downsample.0.weight", [256, 64, 1, 1]),
            ("layer4.2.bn3.running_var", [2048]),
        ],
        ["resnet101"] = [("layer3.22.conv2.weight", [256, 256, 3, 3])],
        ["resnext50_32x4d"] = [("layer1.0.conv2.weight", [128, 4, 3, 3]), ("layer4.0.conv2.weight", [1024, 32, 3, 3])],
        ["se_resnext50_32x4d"] =
        [
            ("layer0.conv1.weight", [64, 5, 7, 7]),
            ("layer0.bn1.running_mean", [64]),
            ("layer1.0.conv2.weight", [128, 4, 3, 3]),
            ("layer1.0.se_module.fc1.weight", [16, 256, 1, 1]),
            ("layer1.0.se_module.fc2.bias", [256]),
            ("layer2.0.downsample.0.weight", [512, 256, 1, 1]),
            ("layer4.2.se_module.fc1.weight", [128, 2048, 1, 1]),
        ],
        ["efficientnet-b0"] =
        [
            ("features.0.0.weight", [32, 5, 3, 3]),
            ("features.0.1.num_batches_tracked", []),
            ("features.1.0.block.0.0.weight", [32, 1, 3, 3]),
            ("features.1.0.block.1.fc1.weight", [8, 32, 1, 1]),
            ("features.1.0.block.2.0.weight", [16, 32, 1, 1]),
            ("features.2.0.block.0.0.weight", [96, 16, 1, 1]),
            ("features.2.0.block.2.fc2.bias", [96]),
            ("features.7.0.block.3.1.running_var", [320]),
        ],
        ["efficientnet-b4"] = [("features.6.7.block.1.0.weight", [1632, 1, 5, 5])],
        ["convnext_tiny"] =
        [
            ("features.0.0.weight", [96, 5, 4, 4]),
            ("features.0.1.weight", [96]),
            ("features.1.0.block.0.weight", [96, 1, 7, 7]),
            ("features.1.0.block.2.weight", [96]),
            ("features.1.0.block.3.weight", [384, 96]),
            ("features.1.0.block.5.bias", [96]),
            ("features.1.0.layer_scale", [96, 1, 1]),
            ("features.2.0.weight", [96]),
            ("features.2.1.weight", [192, 96, 2, 2]),
            ("features.5.8.layer_scale", [384, 1, 1]),
        ],
        ["swin_t"] =
        [
            ("features.0.0.weight", [96, 5, 4, 4]),
            ("features.0.2.weight", [96]),
            ("features.1.0.norm1.weight", [96]),
            ("features.1.0.attn.qkv.weight", [288, 96]),
            ("features.1.0.attn.proj.bias", [96]),
            ("features.1.0.attn.relative_position_bias_table", [169, 3]),
            ("features.1.0.attn.relative_position_index", [2401]),
            ("features.1.1.mlp.0.weight", [384, 96]),
            ("features.1.1.mlp.3.weight", [96, 384]),
            ("features.2.reduction.weight", [192, 384]),
            ("features.2.norm.weight", [384]),
            ("features.7.1.attn.relative_position_bias_table", [169, 24]),
        ],
    };

    private static readonly Dictionary<string, (string Key, long[] Shape)[]> HeadKeys = new()
    {
        ["resnet18"] = [("fc.weight", [1000, 512]), ("fc.bias", [1000])],
        ["se_resnext50_32x4d"] = [("last_linear.weight", [1000, 2048])],
        ["efficientnet-b0"] =
        [
            ("features.8.0.weight", [1280, 320, 1, 1]),
            ("features.8.1.running_mean", [1280]),
            ("classifier.1.weight", [1000, 1280]),
        ],
        ["convnext_tiny"] = [("classifier.0.weight", [768]), ("classifier.2.weight", [1000, 768])],
        ["swin_t"] = [("norm.weight", [768]), ("head.weight", [1000, 768])],
    };

    /// <summary>Top-level names of the reference classifier heads, none of which an encoder may carry.</summary>
    private static readonly string[] HeadPrefixes = ["fc.", "last_linear.", "features.8.", "classifier.", "norm.", "head."];

    [Theory]
    [InlineData("resnet50")]
    [InlineData("resnet101")]
    [InlineData("resnext50_32x4d")]
    [InlineData("se_resnext50_32x4d")]
    [InlineData("efficientnet-b0")]
    [InlineData("efficientnet-b4")]
    [InlineData("convnext_tiny")]
    [InlineData("swin_t")]
    public void EncoderKeysHaveTheReferenceShapesAndNoHead(string encoder)
    {
        using var model = EncoderRegistry.Create(encoder, 5);
        var state = model.state_dict();
        AssertKeys(encoder, state, EncoderKeys[encoder]);
        Assert.DoesNotContain(state.Keys, k => HeadPrefixes.Any(prefix => k.StartsWith(prefix, StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(EncoderFamilies.OnePerHead), MemberType = typeof(EncoderFamilies))]
    public void ClassifierHeadKeysAreTheReferenceOnes(string encoder)
    {
        using var model = new ImageClassifier(encoder);
        AssertKeys(encoder, model.state_dict(), HeadKeys[encoder]);
    }

    [Fact]
    public void ClassifierKeysAreTheEncoderKeysPlusTheHead()
    {
        using var encoder = EncoderRegistry.Create("efficientnet-b0", 3);
        using var classifier = new ImageClassifier("efficientnet-b0");
        var encoderKeys = encoder.state_dict().Keys.ToHashSet();
        var classifierKeys = classifier.state_dict().Keys.ToHashSet();
        Assert.Subset(classifierKeys, encoderKeys);
        Assert.All(classifierKeys.Except(encoderKeys), k => Assert.True(
            k.StartsWith("features.8.", StringComparison.Ordinal) || k.StartsWith("classifier.1.", StringComparison.Ordinal), k));
    }

    private static void AssertKeys(string encoder, Dictionary<string, TorchSharp.torch.Tensor> state, (string Key, long[] Shape)[] expected)
    {
        foreach (var (key, shape) in expected)
        {
            Assert.True(state.ContainsKey(key), $"{encoder} lacks {key}");
            Assert.Equal(shape, state[key].shape);
        }
    }
}
