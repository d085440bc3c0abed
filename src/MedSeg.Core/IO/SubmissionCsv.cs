using System.Text;

namespace MedSeg.Core.IO;

/// <summary>
/// Reads and writes Kaggle UW-Madison submission files: header <c>id,class,predicted</c>, one row per
/// (slice, class), an empty <c>predicted</c> field for an empty mask.
/// </summary>
public static class SubmissionCsv
{
    /// <summary>The exact header line of a submission.</summary>
    public const string Header = "id,class,predicted";

    private static readonly string[] HeaderFields = Header.Split(',');

    /// <summary>Writes <paramref name="rows"/> in the given order through a temporary file, then renames it into place.</summary>
    public static void Write(string path, IEnumerable<SubmissionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.Write(path, temp =>
        {
            using var writer = new StreamWriter(temp, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16);
            writer.Write(Header);
            writer.Write('\n');
            foreach (var row in rows)
            {
                CsvFile.WriteRecord(writer, row.Id, row.ClassName, row.Rle);
            }
        });
    }

    /// <summary>The header of a ground-truth <c>train.csv</c>, whose rows read as a submission too (e.g. to score one labelling against another).</summary>
    private static readonly string[] TruthHeaderFields = ["id", "class", "segmentation"];

    /// <summary>Reads a submission (or a ground-truth <c>train.csv</c>: <c>id,class,segmentation</c>); rows keep their file order.</summary>
    /// <exception cref="MedSegException">The file is missing, its header is neither <c>id,class,predicted</c> nor <c>id,class,segmentation</c>, or a row has the wrong number of columns.</exception>
    public static IReadOnlyList<SubmissionRow> Read(string path)
    {
        var rows = new List<SubmissionRow>();
        bool sawHeader = false;
        foreach (var record in CsvFile.Read(path))
        {
            if (!sawHeader)
            {
                if (!record.Fields.AsSpan().SequenceEqual(HeaderFields) && !record.Fields.AsSpan().SequenceEqual(TruthHeaderFields))
                {
                    throw new MedSegException(
                        $"{path} line {record.Line} has header '{string.Join(',', record.Fields)}' but a submission must start with '{Header}'; fix the header.");
                }
                sawHeader = true;
                continue;
            }
            if (record.Fields.Length != 3)
            {
                throw new MedSegException(
                    $"{path} line {record.Line} has {record.Fields.Length} columns but a submission row has 3 (id,class,predicted); fix that row.");
            }
            rows.Add(new SubmissionRow(record.Fields[0], record.Fields[1], record.Fields[2]));
        }
        if (!sawHeader)
        {
            throw new MedSegException($"{path} is empty but a submission must start with the header '{Header}'; write the header line.");
        }
        return rows;
    }
}
