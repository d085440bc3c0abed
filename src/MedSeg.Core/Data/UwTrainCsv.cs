using MedSeg.Core.IO;

namespace MedSeg.Core.Data;

/// <summary>
/// The labels of a UW-Madison <c>train.csv</c> (<c>id,class,segmentation</c>): per slice id, one RLE and its
/// CSV line per class. Classes are those of the file in order of first appearance, or the given list.
/// </summary>
internal sealed class UwTrainCsv
{
    /// <summary>The exact header of a UW-Madison train.csv.</summary>
    public const string Header = "id,class,segmentation";

    private static readonly string[] HeaderFields = Header.Split(',');

    /// <summary>The labels of one slice id; arrays are indexed by class.</summary>
    internal sealed class Entry(int firstLine)
    {
        public int FirstLine { get; } = firstLine;

        public string?[] Rles { get; set; } = [];

        public int[] Lines { get; set; } = [];
    }

    private UwTrainCsv(string path, IReadOnlyList<string> classes, Dictionary<UwSliceId, Entry> entries)
    {
        Path = path;
        Classes = classes;
        Entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>Labels per slice id, in order of first appearance in the file.</summary>
    public Dictionary<UwSliceId, Entry> Entries { get; }

    /// <summary>Reads and checks <paramref name="path"/>; with <paramref name="classes"/>, every class in the file must be one of them.</summary>
    /// <exception cref="MedSegException">Wrong header, column count, id, unknown or repeated class; the message names the line.</exception>
    public static UwTrainCsv Read(string path, IReadOnlyList<string>? classes)
    {
        var classList = classes is null ? new List<string>() : new List<string>(classes);
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classList.Count; i++)
        {
            classIndex[classList[i]] = i;
        }
        var entries = new Dictionary<UwSliceId, Entry>();
        bool sawHeader = false;
        foreach (var record in CsvFile.Read(path))
        {
            if (!sawHeader)
            {
                if (!record.Fields.AsSpan().SequenceEqual(HeaderFields))
                {
                    throw new MedSegException(
                        $"{Where(path, record)} has header '{string.Join(',', record.Fields)}' but a UW-Madison train.csv must start with '{Header}'; fix the header.");
                }
                sawHeader = true;
                continue;
            }
            if (record.Fields.Length != 3)
            {
                throw new MedSegException(
                    $"{Where(path, record)} has {record.Fields.Length} columns but train.csv rows have 3 ({Header}); fix that row.");
            }
            if (!UwSliceId.TryParse(record.Fields[0], out var id))
            {
                throw UwSliceId.InvalidId(record.Fields[0], Where(path, record));
            }
            int index = ClassIndexOf(record.Fields[1], classIndex, classList, classes is not null, path, record);
            if (!entries.TryGetValue(id, out var entry))
            {
                entry = new Entry(record.Line);
                entries.Add(id, entry);
            }
            if (entry.Rles.Length <= index)
            {
                entry.Rles = Grow(entry.Rles, classList.Count);
                entry.Lines = Grow(entry.Lines, classList.Count);
            }
            if (entry.Rles[index] is not null)
            {
                throw new MedSegException(
                    $"{Where(path, record)} repeats class '{record.Fields[1]}' for {id}, already given on line {entry.Lines[index]}; keep one of the two rows.");
            }
            entry.Rles[index] = record.Fields[2];
            entry.Lines[index] = record.Line;
        }
        if (!sawHeader)
        {
            throw new MedSegException($"{path} is empty but a UW-Madison train.csv must start with '{Header}'; write the header and the label rows.");
        }
        foreach (var entry in entries.Values)
        {
            entry.Rles = Grow(entry.Rles, classList.Count);
            entry.Lines = Grow(entry.Lines, classList.Count);
        }
        return new UwTrainCsv(path, classList, entries);
    }

    private static int ClassIndexOf(string name, Dictionary<string, int> classIndex, List<string> classList, bool fixedClasses, string path, CsvRecord record)
    {
        if (classIndex.TryGetValue(name, out int index))
        {
            return index;
        }
        if (fixedClasses)
        {
            throw new MedSegException(
                $"{Where(path, record)} has class '{name}', which is not one of the expected classes ({string.Join(", ", classList)}); fix the class name or the class list.");
        }
        if (name.Length == 0)
        {
            throw new MedSegException($"{Where(path, record)} has an empty class name; write the class (e.g. stomach) in the second column.");
        }
        classIndex.Add(name, classList.Count);
        classList.Add(name);
        return classList.Count - 1;
    }

    private static string Where(string path, CsvRecord record) => $"{path} line {record.Line}";

    private static T[] Grow<T>(T[] array, int length)
    {
        if (array.Length < length)
        {
            Array.Resize(ref array, length);
        }
        return array;
    }
}
