using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MedSeg.Core;
using MedSeg.Core.Inspection;
using MedSeg.Torch.Training;

namespace MedSeg.Torch.Export;

/// <summary>
/// A model bundle: one <c>.zip</c> a product can ship and <c>predict --model</c> can take. It holds the run folder(s)
/// needed to predict (<c>run/</c>: resolved config, classes, weights as safetensors, tuned thresholds, post-processing decided on validation), the ONNX graph
/// (<c>model.onnx</c>), a data fingerprint (<c>fingerprint.json</c>), a model card (<c>MODEL_CARD.md</c>) and
/// <c>manifest.json</c> with the format version and the SHA-256 of every member. Reading checks every hash and refuses
/// a changed, missing or added member by name, and a bundle of a newer format.
/// </summary>
public static class ModelBundle
{
    public const int FormatVersion = 1;
    public const string ManifestFile = "manifest.json";
    public const string RunFolderName = "run";
    public const string OnnxFile = "model.onnx";
    public const string CardFile = "MODEL_CARD.md";
    public const string FingerprintFile = "fingerprint.json";

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
                .ToDictionary(m => m, m => Sha256(File.OpenRead(Path.Combine(staging, m))));
            var manifest = new JsonObject
            {
                ["format"] = "medseg-bundle",
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
    /// unpacked once into a cache folder keyed by its hash; any other path is returned as it is.
    /// </summary>
    public static string Resolve(string path)
    {
        if (!path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
        {
            return path;
        }
        string digest;
        using (var file = File.OpenRead(path))
        {
            digest = Sha256(file);
        }
        var cache = Path.Combine(Path.GetTempPath(), "medseg-bundles", digest);
        if (!Directory.Exists(cache))
        {
            using var zip = OpenZip(path);
            Verify(zip, path);
            var staging = cache + $".{Environment.ProcessId}.tmp";
            zip.ExtractToDirectory(staging, overwriteFiles: true);
            try
            {
                Directory.Move(staging, cache);
            }
            catch (IOException) when (Directory.Exists(cache))
            {
                Directory.Delete(staging, recursive: true); // another process unpacked the same bundle first
            }
        }
        return Path.Combine(cache, RunFolderName);
    }

    private static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new MedSegException($"--model {path} is not a readable model bundle (zip): {e.Message}");
        }
    }

    private static void Verify(ZipArchive zip, string path)
    {
        var manifestEntry = zip.GetEntry(ManifestFile) ?? throw new MedSegException($"--model {path} has no {ManifestFile}; it is not a MedSeg model bundle (medseg export --out FILE.zip).");
        JsonNode manifest;
        using (var stream = manifestEntry.Open())
        {
            try
            {
                manifest = JsonNode.Parse(stream) ?? throw new MedSegException($"{path}: {ManifestFile} is empty.");
            }
            catch (JsonException e)
            {
                throw new MedSegException($"{path}: {ManifestFile} is not valid JSON: {e.Message}");
            }
        }
        var version = manifest["format_version"]?.GetValue<int>() ?? 0;
        if ((string?)manifest["format"] != "medseg-bundle" || version < 1)
        {
            throw new MedSegException($"{path}: {ManifestFile} does not describe a MedSeg model bundle.");
        }
        if (version > FormatVersion)
        {
            throw new MedSegException($"{path} is a bundle of format {version}, newer than this MedSeg reads ({FormatVersion}); update MedSeg.");
        }
        var hashes = manifest["sha256"]?.AsObject() ?? throw new MedSegException($"{path}: {ManifestFile} lists no members.");
        foreach (var (member, hash) in hashes)
        {
            var entry = zip.GetEntry(member) ?? throw new MedSegException($"{path}: member {member} listed in {ManifestFile} is missing.");
            using var stream = entry.Open();
            if (Sha256(stream) != (string?)hash)
            {
                throw new MedSegException($"{path}: member {member} does not match its SHA-256 in {ManifestFile}; the bundle was changed after export.");
            }
        }
        foreach (var entry in zip.Entries.Where(e => e.FullName != ManifestFile && !e.FullName.EndsWith('/') && !hashes.ContainsKey(e.FullName)))
        {
            throw new MedSegException($"{path}: member {entry.FullName} is not listed in {ManifestFile}; the bundle was changed after export.");
        }
    }

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

    private static string Sha256(Stream stream)
    {
        using (stream)
        {
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
