using MedSeg.Core;
using MedSeg.Core.Augmentations;
using MedSeg.Core.Data;

namespace MedSeg.Tests.Core.Augmentations;

/// <summary>The JSON pipeline: parsing, resolved output, flips recorded, reproducibility and errors.</summary>
public sealed class AugmentationPipelineTests
{
    private const string Recipe = """
        [
          {"name": "crop", "size": [24, 24], "foreground": 0.5},
          {"name": "flip", "p": 0.5, "axes": ["h", "vertical"]},
          {"name": "shift_scale_rotate", "p": 0.5, "shift": 0.0625, "scale": 0.1, "rotate": 15},
          {"name": "elastic", "p": 0.3},
          {"name": "grid_distortion", "p": 0.3, "border": "reflect"},
          {"name": "rotate90", "p": 0.2},
          {"name": "brightness_contrast", "p": 0.5, "brightness": [-0.1, 0.1]},
          {"name": "gamma", "p": 0.3},
          {"name": "gaussian_noise", "p": 0.3, "std": 0.02},
          {"name": "gaussian_blur", "p": 0.2},
          {"name": "lowres", "p": 0.25, "zoom": [0.5, 1]},
          {"name": "coarse_dropout", "p": 0.3, "holes": [1, 4]},
          {"name": "pad", "size": [32, 32]},
          {"name": "resize", "size": [32, 32]}, // comments and trailing commas are allowed
        ]
        """;

    [Fact]
    public void ParsesEveryTransformAndRecordsTheFlips()
    {
        var pipeline = AugmentationPipeline.Parse(Recipe);
        Assert.Equal(14, pipeline.Transforms.Count);
        Assert.Equal([FlipAxis.Horizontal, FlipAxis.Vertical], pipeline.FlipAxes);
        Assert.Equal(AugmentationPipeline.TransformNames.Count, pipeline.Transforms.Count);
        Assert.Equal(AugmentationPipeline.TransformNames.Count, AugmentationPipeline.TransformHelp.Count);
        Assert.Empty(AugmentationPipeline.Parse("""[{"name": "flip", "p": 0}]""").FlipAxes);
        Assert.Empty(AugmentationPipeline.Parse("[]").FlipAxes);
    }

    [Fact]
    public void ResolvedJsonSpellsOutDefaultsAndParsesBackToItself()
    {
        var pipeline = AugmentationPipeline.Parse("""[{"name": "shift_scale_rotate", "rotate": 10}, {"name": "flip"}]""");
        var json = pipeline.ToJson();
        Assert.Contains("\"p\": 0.5", json);
        Assert.Contains("\"rotate\": [\n      -10,\n      10\n    ]", json.Replace("\r\n", "\n"));
        Assert.Contains("\"scale\": [\n      0.9,\n      1.1\n    ]", json.Replace("\r\n", "\n"));
        Assert.Contains("\"border\": \"constant\"", json);
        Assert.Contains("\"axes\": [\n      \"h\"\n    ]", json.Replace("\r\n", "\n"));
        Assert.Equal(json, AugmentationPipeline.Parse(json).ToJson());
        Assert.StartsWith("[\n  {\n    \"name\": \"shift_scale_rotate\",\n    \"p\": 0.5,", json.Replace("\r\n", "\n"));
    }

    [Fact]
    public void ApplyIsReproducibleKeepsTheInputAndMovesImageAndMaskTogether()
    {
        var pipeline = AugmentationPipeline.Parse(Recipe);
        var input = MarkedSample.Plane(3, 40, 48, 10, 30, 12, 36);
        var before = (float[])input.Image.Clone();
        var results = Enumerable.Range(0, 12).Select(seed => pipeline.Apply(input, new DeterministicRandom(42, seed))).ToArray();
        Assert.Equal(before, input.Image);
        Assert.Equal(results[3].Image, pipeline.Apply(input, new DeterministicRandom(42, 3)).Image);
        Assert.Equal(results[3].Mask, pipeline.Apply(input, new DeterministicRandom(42, 3)).Mask);
        Assert.Equal(12, results.Select(r => string.Join(",", r.Image.Take(500))).Distinct().Count());
        Assert.All(results, r => Assert.Equal(SpatialShape.Plane(32, 32), r.Shape));
    }

    [Fact]
    public void LoaderThreadsSharingAPipelineGetTheSequentialResults()
    {
        var pipeline = AugmentationPipeline.Parse(Recipe);
        var input = MarkedSample.Plane(3, 40, 48, 10, 30, 12, 36);
        var sequential = Enumerable.Range(0, 16).Select(seed => pipeline.Apply(input, new DeterministicRandom(7, seed)).Image).ToArray();
        var parallel = new float[16][];
        Parallel.For(0, 16, seed => parallel[seed] = pipeline.Apply(input, new DeterministicRandom(7, seed)).Image);
        Assert.Equal(sequential, parallel);
    }

    [Fact]
    public void ZeroProbabilityLeavesTheSampleAsItIs()
    {
        var pipeline = AugmentationPipeline.Parse("""[{"name": "elastic", "p": 0}, {"name": "gaussian_noise", "p": 0}]""");
        var input = MarkedSample.Plane(1, 8, 8, 2, 4, 2, 4);
        Assert.Equal(input.Image, pipeline.Apply(input, new DeterministicRandom(1)).Image);
    }

    [Theory]
    [InlineData("{}", "write a JSON array of transforms")]
    [InlineData("[{\"name\": \"flip\",", "not valid JSON")]
    [InlineData("[{\"p\": 0.5}]", "transform 1 must be an object with a \"name\"; valid names: flip, rotate90, shift_scale_rotate, elastic, grid_distortion, brightness_contrast, gamma, gaussian_noise, gaussian_blur, lowres, coarse_dropout, crop, resize, pad")]
    [InlineData("[{\"name\": \"cutmix\"}]", "transform 'cutmix' is unknown; valid names: flip, rotate90,")]
    [InlineData("[{\"name\": \"flip\", \"axis\": [\"h\"]}]", "transform 'flip' has no key 'axis'; valid keys: name, axes, p")]
    [InlineData("[{\"name\": \"flip\", \"axes\": [\"x\"]}]", "transform 'flip' key 'axes' must be one of \"h\", \"horizontal\", \"v\", \"vertical\", \"d\", \"depth\", not \"x\"")]
    [InlineData("[{\"name\": \"flip\", \"p\": 1.5}]", "transform 'flip' key 'p' must be a probability in [0, 1], not 1.5")]
    [InlineData("[{\"name\": \"shift_scale_rotate\", \"scale\": [1.2, 0.8]}]", "key 'scale' must be a number (±) or a range [low, high] of factors > 0")]
    [InlineData("[{\"name\": \"elastic\", \"border\": \"wrap\"}]", "key 'border' must be one of \"constant\", \"edge\", \"reflect\", not \"wrap\"")]
    [InlineData("[{\"name\": \"crop\"}]", "transform 'crop' needs key 'size'")]
    [InlineData("[{\"name\": \"resize\", \"size\": [256]}]", "key 'size' must be a size [H, W] or [D, H, W] of positive whole numbers, not [256]")]
    [InlineData("[{\"name\": \"coarse_dropout\", \"holes\": 2.5}]", "key 'holes' must be a whole number or a range")]
    public void ErrorsNameTheTransformOrKeyAndTheValidOnes(string json, string problem)
    {
        var error = Assert.Throws<MedSegException>(() => AugmentationPipeline.Parse(json, "--augment aug.json"));
        Assert.StartsWith("--augment aug.json: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void SampleArraysMustMatchTheShape()
    {
        Assert.Throws<ArgumentException>(() => new AugmentationSample(new float[10], 1, [], 0, SpatialShape.Plane(3, 3)));
        Assert.Throws<ArgumentException>(() => new AugmentationSample(new float[9], 1, new float[8], 1, SpatialShape.Plane(3, 3)));
    }
}
