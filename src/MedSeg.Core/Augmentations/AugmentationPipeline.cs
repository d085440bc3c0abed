using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Core.Data;

namespace MedSeg.Core.Augmentations;

/// <summary>
/// A sequence of random transforms described in JSON, like an albumentations or MONAI composition:
/// <code>
/// [{"name": "crop", "size": [224, 224], "foreground": 0.33},
///  {"name": "flip", "p": 0.5, "axes": ["h"]},
///  {"name": "shift_scale_rotate", "p": 0.5, "shift": 0.0625, "scale": 0.1, "rotate": 15},
///  {"name": "brightness_contrast", "p": 0.3, "brightness": [-0.1, 0.1]}]
/// </code>
/// Each object names a transform (<see cref="TransformNames"/>) and may set <c>p</c>, how often it runs, and its own
/// keys; unknown names and keys are errors. One <see cref="DeterministicRandom"/> drives every draw, so
/// <c>Apply(sample, new DeterministicRandom(seed, stream))</c> is reproducible whichever loader thread runs it.
/// </summary>
public sealed class AugmentationPipeline
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    private readonly JsonObject[] resolved;

    private AugmentationPipeline(Augmentation[] transforms, JsonObject[] resolved)
    {
        Transforms = transforms;
        this.resolved = resolved;
    }

    /// <summary>No transform at all.</summary>
    public static AugmentationPipeline Empty { get; } = new([], []);

    /// <summary>The transform names a pipeline may use.</summary>
    public static IReadOnlyList<string> TransformNames { get; } = AugmentationCatalog.Transforms.Select(t => t.Name).ToArray();

    /// <summary>One line per transform name and what it does (for help text).</summary>
    public static IReadOnlyList<string> TransformHelp { get; } = AugmentationCatalog.Transforms.Select(t => $"{t.Name}: {t.Summary}").ToArray();

    public IReadOnlyList<Augmentation> Transforms { get; }

    /// <summary>Each transform as <c>name p P</c> (e.g. <c>gamma p 0.3</c>), comma-separated, for messages; <c>none</c> when empty.</summary>
    public string Summary => Transforms.Count == 0 ? "none"
        : string.Join(", ", resolved.Zip(Transforms, (r, t) => $"{(string)r["name"]!} p {t.Probability.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>
    /// The axes that some flip may mirror (probability above 0), in first-use order — the flips the model sees in
    /// training, and so the only ones test-time augmentation should average over.
    /// </summary>
    public IReadOnlyList<FlipAxis> FlipAxes => Transforms.OfType<Flip>().Where(f => f.AxisProbability > 0).SelectMany(f => f.Axes).Distinct().ToArray();

    /// <summary>
    /// Parses a pipeline; <paramref name="source"/> names where the text came from in error messages (an option or
    /// a file). Throws a <see cref="MedSegException"/> naming the transform or key at fault and the valid ones.
    /// </summary>
    public static AugmentationPipeline Parse(string json, string source = "augmentation pipeline")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{source}: not valid JSON ({e.Message}).", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new MedSegException($"{source}: write a JSON array of transforms, e.g. [{{\"name\": \"flip\", \"p\": 0.5, \"axes\": [\"h\"]}}].");
            }
            var transforms = new List<Augmentation>();
            var resolved = new List<JsonObject>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                index++;
                var name = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                    ? n.GetString()!
                    : throw new MedSegException($"{source}: transform {index} must be an object with a \"name\"; valid names: {AugmentationCatalog.Names}.");
                var spec = AugmentationCatalog.Find(name)
                    ?? throw new MedSegException($"{source}: transform '{name}' is unknown; valid names: {AugmentationCatalog.Names}.");
                var arguments = new AugmentationArguments(source, spec.Name, item);
                transforms.Add(spec.Create(arguments));
                arguments.RejectUnknownKeys();
                resolved.Add(arguments.Resolved);
            }
            return new AugmentationPipeline(transforms.ToArray(), resolved.ToArray());
        }
    }

    /// <summary>Reads and parses a pipeline file; errors name the file.</summary>
    public static AugmentationPipeline Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new MedSegException($"augmentation file {path} does not exist.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>This pipeline's transforms followed by <paramref name="next"/>'s.</summary>
    public AugmentationPipeline Then(AugmentationPipeline next) =>
        next.Transforms.Count == 0 ? this : new([.. Transforms, .. next.Transforms], [.. resolved, .. next.resolved]);

    /// <summary>
    /// <paramref name="sample"/> after every transform, each run with its probability, all drawing from
    /// <paramref name="random"/>. The input's arrays are never changed.
    /// </summary>
    public AugmentationSample Apply(AugmentationSample sample, DeterministicRandom random)
    {
        if (Transforms.Count == 0)
        {
            return sample;
        }
        var result = sample.Clone();
        foreach (var transform in Transforms)
        {
            result = transform.Apply(result, random);
        }
        return result;
    }

    /// <summary>The pipeline with every key spelled out (defaults filled in), for the run folder; it parses back to the same pipeline.</summary>
    public string ToJson() =>
        new JsonArray(resolved.Select(r => (JsonNode)r.DeepClone()).ToArray()).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
