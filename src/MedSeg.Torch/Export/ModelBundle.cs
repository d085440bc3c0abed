using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Core;
using MedSeg.Core.Bundles;
using MedSeg.Core.Inspection;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Export;

/// <summary>
/// A model bundle: one <c>.zip</c> a product can ship and <c>predict --model</c> can take. It holds the run folder(s)
/// needed to predict (<c>run/</c>: resolved config, classes, weights as safetensors, tuned thresholds, post-processing decided on validation), the ONNX graph
/// (<c>model.onnx</c>), a data fingerprint (<c>fingerprint.json</c>), a model card (<c>MODEL_CARD.md</c>) and
/// <c>manifest.json</c> with the format version and the SHA-256 of every member. Reading (<see cref="BundleArchive"/>, in
/// MedSeg.Core so the libtorch-free predictor shares it) checks every hash and refuses a changed, missing or added
/// member by name, and a bundle of a newer format.
/// </summary>
public static class ModelBundle
{
    public const int FormatVersion = BundleArchive.FormatVersion;
    public const string ManifestFile = BundleArchive.ManifestFile;
    public const string RunFolderName = BundleArchive.RunFolderName;
    public const string OnnxFile = BundleArchive.OnnxFile;
    public const string CardFile = BundleArchive.CardFile;
    public const string FingerprintFile = BundleArchive.FingerprintFile;

    /// <summary>The files of a run folder that prediction reads.</summary>
    private static readonly string[] RunFiles = [RunFolder.ConfigFile, RunFolder.InfoFile, RunFolder.BestModelFile, RunFolder.TunedFile, RunFolder.PostProcessingFile];

    internal static RunExport.Result Write(string runPath, string outPath, string? dataPath)
    {
        var folds = RunFolder.Expand(runPath);
        var runs = folds.Select(p => RunFolder.Load(p)).ToArray();
        var staging = Path.Combine(Path.GetTempPath(), $"medseg-bundle-{Guid.NewGuid():N}");
        try
        {
            var runFolder = Directory.CreateDirectory(Path.Combine(staging, RunFolderName)).FullName;
            for (var i = 0; i < folds.Count; i++)
            {
                var target = folds.Count == 1 ? runFolder : Directory.CreateDirectory(Path.Combine(runFolder, Path.GetFileName(folds[i]))).FullName;
                CopyPresent(folds[i], target);
            }
            if (folds.Count > 1)
            {
                CopyPresent(runPath, runFolder, [RunFolder.TunedFile, RunFolder.PostProcessingFile]);
            }
            var (onnx, result) = RunExport.Build(runPath, outPath);
            OnnxExporter.Write(onnx, Path.Combine(staging, OnnxFile));
            var fingerprint = dataPath is null ? null : DataFingerprint.Of(dataPath, runs[0].Info.TrainCaseDays);
            File.WriteAllText(Path.Combine(staging, FingerprintFile), JsonSerializer.Serialize(fingerprint ?? DataFingerprint.NotRecorded, Indented));
            File.WriteAllText(Path.Combine(staging, CardFile), ModelCard.Text(runs, result, fingerprint));
            var members = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(staging, f).Replace('\\', '/')).Order(StringComparer.Ordinal)
                .ToDictionary(m => m, m => BundleArchive.Sha256(File.OpenRead(Path.Combine(staging, m))));
            var manifest = new JsonObject
            {
                ["format"] = BundleArchive.Format,
                ["format_version"] = FormatVersion,
                ["medseg_version"] = VersionInfo.MedSeg,
                ["models"] = folds.Count,
                ["sha256"] = new JsonObject(members.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)m.Value))),
            };
            File.WriteAllText(Path.Combine(staging, ManifestFile), manifest.ToJsonString(Indented));
            AtomicFile.Write(outPath, temp =>
            {
                File.Delete(temp);
                ZipFile.CreateFromDirectory(staging, temp);
            });
            return result with { Bytes = new FileInfo(outPath).Length };
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>
    /// The run folder a <c>--model</c> path stands for: a bundle (<c>*.zip</c>) is checked member by member and
    /// unpacked once into a cache folder keyed by its hash (<see cref="BundleArchive.Unpack"/>); any other path is returned as it is.
    /// </summary>
    public static string Resolve(string path) =>
        BundleArchive.IsBundle(path) ? Path.Combine(BundleArchive.Unpack(path), RunFolderName) : path;

    private static void CopyPresent(string from, string to, IReadOnlyList<string>? files = null)
    {
        foreach (var file in files ?? RunFiles)
        {
            var source = Path.Combine(from, file);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(to, file));
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
