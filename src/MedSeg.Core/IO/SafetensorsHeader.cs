using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace MedSeg.Core.IO;

/// <summary>
/// Checks a safetensors file's header before its tensors are loaded: the 8-byte header length inside the file and at
/// most 100 MB (the format's limit), a JSON object of tensors whose dtype is known and whose shape fills exactly its
/// <c>data_offsets</c>, all inside the data. Every allocation a loader then makes is bounded by the file's size.
/// </summary>
public static class SafetensorsHeader
{
    private const long MaxHeaderBytes = 100_000_000;

    private static readonly Dictionary<string, int> DTypeSizes = new(StringComparer.Ordinal)
    {
        ["F64"] = 8, ["F32"] = 4, ["F16"] = 2, ["BF16"] = 2, ["I64"] = 8, ["I32"] = 4, ["I16"] = 2, ["I8"] = 1,
        ["U64"] = 8, ["U32"] = 4, ["U16"] = 2, ["U8"] = 1, ["BOOL"] = 1,
    };

    /// <exception cref="MedSegException">The file is unreadable or its header is damaged; the message names the file and the tensor.</exception>
    public static void Check(string path)
    {
        using var stream = OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
        {
            throw Damaged(path, "it is shorter than the 8-byte header length");
        }
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length > MaxHeaderBytes || (long)length > stream.Length - 8)
        {
            throw Damaged(path, $"its header length {length} is past the end of the file or over the format's 100 MB limit");
        }
        var header = new byte[length];
        stream.ReadExactly(header);
        long dataBytes = stream.Length - 8 - (long)length;
        // The format's header is UTF-8 JSON; JsonDocument accepts invalid UTF-8 inside strings and only fails when a
        // name or value is read (an InvalidOperationException), so the text is checked first.
        if (!Utf8.IsValid(header))
        {
            throw Damaged(path, "its header is not UTF-8 text");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Damaged(path, $"its header is not valid JSON ({e.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Damaged(path, "its header is not a JSON object of tensors");
            }
            foreach (var tensor in document.RootElement.EnumerateObject().Where(t => t.Name != "__metadata__"))
            {
                CheckTensor(path, tensor, dataBytes);
            }
        }
    }

    private static void CheckTensor(string path, JsonProperty tensor, long dataBytes)
    {
        var value = tensor.Value;
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String || !DTypeSizes.TryGetValue(dtype.GetString()!, out int size)
            || !value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw Damaged(path, $"tensor '{tensor.Name}' lacks a known dtype, a shape or two data_offsets");
        }
        long bytes = size;
        foreach (var dim in shape.EnumerateArray())
        {
            if (!dim.TryGetInt64(out long n) || n < 0 || (n > 0 && bytes > dataBytes / n))
            {
                throw Damaged(path, $"tensor '{tensor.Name}' has shape {shape.GetRawText()}, more than the file's {dataBytes} bytes of data hold");
            }
            bytes *= n;
        }
        if (!offsets[0].TryGetInt64(out long begin) || !offsets[1].TryGetInt64(out long end) || begin < 0 || end < begin || end > dataBytes || end - begin != bytes)
        {
            throw Damaged(path, $"tensor '{tensor.Name}' has data_offsets {offsets.GetRawText()}, which are not its {bytes} bytes inside the file's {dataBytes} bytes of data");
        }
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"cannot read weight file {path} ({e.Message}).", e);
        }
    }

    private static MedSegException Damaged(string path, string problem) =>
        new($"weight file {path} is not a valid safetensors file: {problem}; write it again with safetensors.");
}
