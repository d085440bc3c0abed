using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MedSeg.Core.Data;

/// <summary>
/// The <c>dataset.json</c> of an nnU-Net v2 raw dataset: channel names (index = channel suffix _0000, _0001, ...),
/// label names by value (<see cref="Labels"/>[0] is background; values are 0, 1, ... K−1 as nnU-Net requires),
/// the number of training cases, and the file ending of every image and label file.
/// </summary>
public sealed record NnUnetDatasetInfo(
    IReadOnlyList<string> ChannelNames, IReadOnlyList<string> Labels, int NumTraining, string FileEnding = ".nii.gz", string? Name = null)
{
    /// <summary>The file endings MedSeg reads and writes (NIfTI).</summary>
    public static IReadOnlyList<string> SupportedFileEndings { get; } = [".nii.gz", ".nii"];

    /// <summary>The foreground classes: <see cref="Labels"/> without background, in label order (class k has label value k).</summary>
    public IReadOnlyList<string> Classes => Labels.Skip(1).ToArray();

    /// <summary>
    /// Explicit case files from the optional <c>dataset</c> key (case id → image paths per channel and label path,
    /// relative to the dataset folder), or null when the files are found by name in imagesTr/labelsTr.
    /// </summary>
    public IReadOnlyDictionary<string, NnUnetCaseFiles>? Files { get; init; }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="MedSegException">The file is missing, not JSON, or a key is missing or malformed; the message names the key.</exception>
    public static NnUnetDatasetInfo Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new MedSegException($"{path} is not valid JSON ({e.Message}); fix the syntax.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"Cannot read {path} ({e.Message}); an nnU-Net dataset folder needs a readable dataset.json.", e);
        }
        if (root is not JsonObject json)
        {
            throw new MedSegException($"{path} holds {Kind(root)} instead of a JSON object with channel_names, labels, numTraining and file_ending; fix the file.");
        }

        var channels = ReadChannels(json, path);
        var labels = ReadLabels(json, path);
        int numTraining = Require(json, "numTraining", path, "the number of training cases, e.g. \"numTraining\": 30") is JsonValue n && n.TryGetValue(out int count) && count >= 0
            ? count
            : throw new MedSegException($"{path} has \"numTraining\": {json["numTraining"]?.ToJsonString()}, but it must be a whole number of training cases (0 or more); fix it.");
        string ending = Require(json, "file_ending", path, "the image file ending, e.g. \".nii.gz\"") is JsonValue e1 && e1.TryGetValue(out string? text) ? text : "";
        if (!SupportedFileEndings.Contains(ending))
        {
            throw new MedSegException(
                $"{path} has \"file_ending\": {json["file_ending"]?.ToJsonString()}, but MedSeg reads nnU-Net datasets of NIfTI images; use \".nii.gz\" or \".nii\" (convert the images if needed).");
        }
        string? name = json["name"] is JsonValue nameValue && nameValue.TryGetValue(out string? nameText) ? nameText : null;
        return new NnUnetDatasetInfo(channels, labels, numTraining, ending, name) { Files = ReadFiles(json, path, channels.Length) };
    }

    /// <summary>The JSON text of this dataset.json (indented), with <c>channel_names</c>, <c>labels</c>, <c>numTraining</c>, <c>file_ending</c> and <c>name</c>.</summary>
    public string ToJson()
    {
        var json = new JsonObject
        {
            ["channel_names"] = new JsonObject(ChannelNames.Select((c, i) => KeyValuePair.Create(i.ToString(CultureInfo.InvariantCulture), (JsonNode?)c))),
            ["labels"] = new JsonObject(Labels.Select((l, i) => KeyValuePair.Create(l, (JsonNode?)i))),
            ["numTraining"] = NumTraining,
            ["file_ending"] = FileEnding,
        };
        if (Name is not null)
        {
            json["name"] = Name;
        }
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string[] ReadChannels(JsonObject json, string path)
    {
        if (!json.ContainsKey("channel_names") && json.ContainsKey("modality"))
        {
            throw new MedSegException($"{path} has the nnU-Net v1 key \"modality\" but no \"channel_names\"; rename it to \"channel_names\" (nnU-Net v2).");
        }
        if (Require(json, "channel_names", path, "e.g. \"channel_names\": {\"0\": \"T2\"}") is not JsonObject names || names.Count == 0)
        {
            throw new MedSegException($"{path} has \"channel_names\" that is not an object of one or more channels; write e.g. \"channel_names\": {{\"0\": \"T2\"}}.");
        }
        var channels = new string[names.Count];
        foreach (var (key, value) in names)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= channels.Length
                || index.ToString(CultureInfo.InvariantCulture) != key || channels[index] is not null)
            {
                throw new MedSegException(
                    $"{path} has channel_names key \"{key}\", but the keys must be \"0\", \"1\", ... up to the number of channels minus one; fix channel_names.");
            }
            channels[index] = value is JsonValue v && v.TryGetValue(out string? text) && text.Length > 0
                ? text
                : throw new MedSegException($"{path} has channel_names \"{key}\": {value?.ToJsonString()}, but a channel name must be a non-empty string such as \"T2\" or \"CT\"; fix it.");
        }
        return channels;
    }

    private static string[] ReadLabels(JsonObject json, string path)
    {
        if (Require(json, "labels", path, "e.g. \"labels\": {\"background\": 0, \"liver\": 1}") is not JsonObject labels || labels.Count < 2)
        {
            throw new MedSegException(
                $"{path} has \"labels\" that is not an object with background and at least one class; write e.g. \"labels\": {{\"background\": 0, \"liver\": 1}}.");
        }
        var names = new string[labels.Count];
        foreach (var (name, value) in labels)
        {
            if (value is JsonArray)
            {
                throw new MedSegException(
                    $"{path} gives label \"{name}\" as a list of values (an nnU-Net region); MedSeg reads one integer per label, so list each label value under its own name.");
            }
            if (value is not JsonValue v || !v.TryGetValue(out int number) || number < 0 || number >= names.Length || names[number] is not null)
            {
                throw new MedSegException(
                    $"{path} has label \"{name}\": {value?.ToJsonString()}, but label values must be the distinct integers 0 to {names.Length - 1} (0 = background); fix labels.");
            }
            names[number] = name;
        }
        return names;
    }

    private static Dictionary<string, NnUnetCaseFiles>? ReadFiles(JsonObject json, string path, int channels)
    {
        if (!json.TryGetPropertyValue("dataset", out var node))
        {
            return null;
        }
        if (node is not JsonObject entries)
        {
            throw new MedSegException($"{path} has \"dataset\" that is not an object of case id → {{\"images\": [...], \"label\": ...}}; fix it or remove the key.");
        }
        var files = new Dictionary<string, NnUnetCaseFiles>(StringComparer.Ordinal);
        foreach (var (id, entry) in entries)
        {
            var images = entry?["images"] as JsonArray;
            var paths = images?.Select(i => i is JsonValue v && v.TryGetValue(out string? p) ? p : null).ToArray();
            if (paths is null || paths.Length != channels || paths.Any(p => string.IsNullOrEmpty(p)))
            {
                throw new MedSegException(
                    $"{path} has dataset entry \"{id}\" without an \"images\" list of {channels} file path(s), one per channel; fix the entry.");
            }
            string? label = null;
            if (entry!["label"] is { } labelNode)
            {
                label = labelNode is JsonValue lv && lv.TryGetValue(out string? l) && l.Length > 0
                    ? l
                    : throw new MedSegException($"{path} has dataset entry \"{id}\" whose \"label\" is not a file path; fix the entry.");
            }
            files.Add(id, new NnUnetCaseFiles(paths!, label));
        }
        return files;
    }

    private static JsonNode Require(JsonObject json, string key, string path, string example) =>
        json[key] ?? throw new MedSegException($"{path} has no \"{key}\" key, which nnU-Net datasets need ({example}); add it.");

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonArray => "an array",
        _ => "a single value",
    };
}
