using System.Text;

namespace MedSeg.Core.IO;

/// <summary>
/// Minimal RFC 4180 CSV reading and writing (comma separator, double-quoted fields with <c>""</c> escapes,
/// quoted fields may span lines), shared by every CSV format MedSeg reads: train.csv and submissions.
/// </summary>
public static class CsvFile
{
    /// <summary>
    /// Reads the records of <paramref name="path"/> lazily, header included; blank lines are skipped.
    /// </summary>
    /// <exception cref="MedSegException">The file is missing, unreadable, or has a badly quoted field.</exception>
    public static IEnumerable<CsvRecord> Read(string path)
    {
        StreamReader reader;
        try
        {
            reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MedSegException($"Cannot open {path} ({e.Message}); check that the file exists and is readable.", e);
        }
        return ReadRecords(reader, path);
    }

    /// <summary>Splits one complete record (no line breaks outside quotes) into fields.</summary>
    /// <exception cref="MedSegException">A quoted field is not closed or has text after its closing quote.</exception>
    public static string[] ParseLine(string text, string context)
    {
        if (!text.Contains('"'))
        {
            return text.Split(',');
        }
        var fields = new List<string>();
        int position = 0;
        var field = new StringBuilder();
        while (true)
        {
            if (position < text.Length && text[position] == '"')
            {
                field.Clear();
                position++;
                while (true)
                {
                    int quote = text.IndexOf('"', position);
                    if (quote < 0)
                    {
                        throw new MedSegException($"{context} has a quoted field without its closing quote; close the quote or remove it.");
                    }
                    field.Append(text, position, quote - position);
                    position = quote + 1;
                    if (position < text.Length && text[position] == '"')
                    {
                        field.Append('"');
                        position++;
                        continue;
                    }
                    break;
                }
                fields.Add(field.ToString());
                if (position < text.Length && text[position] != ',')
                {
                    throw new MedSegException($"{context} has text after the closing quote of field {fields.Count}; put the whole field inside the quotes.");
                }
            }
            else
            {
                int comma = text.IndexOf(',', position);
                int end = comma < 0 ? text.Length : comma;
                fields.Add(text[position..end]);
                position = end;
            }
            if (position >= text.Length)
            {
                return fields.ToArray();
            }
            position++; // the comma
            if (position == text.Length)
            {
                fields.Add(string.Empty);
                return fields.ToArray();
            }
        }
    }

    /// <summary>Writes one record followed by <c>\n</c>, quoting the fields that need it.</summary>
    public static void WriteRecord(TextWriter writer, params ReadOnlySpan<string> fields)
    {
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }
            string field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                writer.Write(field);
            }
            else
            {
                writer.Write('"');
                writer.Write(field.Replace("\"", "\"\"", StringComparison.Ordinal));
                writer.Write('"');
            }
        }
        writer.Write('\n');
    }

    private static IEnumerable<CsvRecord> ReadRecords(StreamReader reader, string path)
    {
        using (reader)
        {
            int lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                int recordLine = lineNumber;
                if (line.Length == 0)
                {
                    continue;
                }
                // A quoted field may hold line breaks: keep reading while the quotes are unbalanced.
                while (CountQuotes(line) % 2 == 1 && reader.ReadLine() is { } more)
                {
                    lineNumber++;
                    line = line + "\n" + more;
                }
                yield return new CsvRecord(recordLine, ParseLine(line, $"{path} line {recordLine}"));
            }
        }
    }

    private static int CountQuotes(string text) => text.AsSpan().Count('"');
}
