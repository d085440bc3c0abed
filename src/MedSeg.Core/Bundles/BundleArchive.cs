using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedSeg.Core.Bundles;

/// <summary>
/// Reading a MedSeg model bundle (<c>medseg export --out FILE.zip</c>), with or without libtorch: the members
/// (<see cref="RunFolderName"/>/ with the run files, <see cref="OnnxFile"/>, <see cref="FingerprintFile"/>,
/// <see cref="CardFile"/>) and <see cref="ManifestFile"/>, which holds the format version and the SHA-256 of every
/// member. <see cref="Unpack"/> checks every hash and refuses a changed, missing or added member by name, and a bundle
/// of a newer format, then unpacks it once into a cache folder keyed by the zip's own hash.
/// </summary>
public static class BundleArchive
{
    public const int FormatVersion = 1;
    public const string Format = "medseg-bundle";
    public const string ManifestFile = "manifest.json";
    public const string RunFolderName = "run";
    public const string OnnxFile = "model.onnx";
    public const string CardFile = "MODEL_CARD.md";
    public const string FingerprintFile = "fingerprint.json";

    /// <summary>Whether <paramref name="path"/> names a bundle file (an existing <c>*.zip</c>).</summary>
    public static bool IsBundle(string path) => path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    /// <summary>
    /// The folder the bundle <paramref name="path"/> is unpacked in (<c>$TMPDIR/medseg-bundles/SHA256/</c>), every member
    /// checked against the manifest the first time.
    /// </summary>
    /// <exception cref="MedSegException">The file is no bundle, a member is missing, changed or unlisted, or the format is newer.</exception>
    public static string Unpack(string path)
    {
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
        return cache;
    }

    /// <summary>The lower-case hex SHA-256 of <paramref name="stream"/>, which is disposed.</summary>
    public static string Sha256(Stream stream)
    {
        using (stream)
        {
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
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
        if ((string?)manifest["format"] != Format || version < 1)
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
            if (Sha256(entry.Open()) != (string?)hash)
            {
                throw new MedSegException($"{path}: member {member} does not match its SHA-256 in {ManifestFile}; the bundle was changed after export.");
            }
        }
        foreach (var entry in zip.Entries.Where(e => e.FullName != ManifestFile && !e.FullName.EndsWith('/') && !hashes.ContainsKey(e.FullName)))
        {
            throw new MedSegException($"{path}: member {entry.FullName} is not listed in {ManifestFile}; the bundle was changed after export.");
        }
    }
}
