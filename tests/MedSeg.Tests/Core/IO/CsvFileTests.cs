using MedSeg.Core;
using MedSeg.Core.IO;

namespace MedSeg.Tests.Core.IO;

public class CsvFileTests
{
    [Theory]
    [InlineData("a,b,c", new[] { "a", "b", "c" })]
    [InlineData("a,,c", new[] { "a", "", "c" })]
    [InlineData("a,b,", new[] { "a", "b", "" })]
    [InlineData("\"a,1\",b", new[] { "a,1", "b" })]
    [InlineData("\"say \"\"hi\"\"\",\"\"", new[] { "say \"hi\"", "" })]
    [InlineData("x,\"1 2 3 4\",", new[] { "x", "1 2 3 4", "" })]
    public void Parses_plain_and_quoted_fields(string line, string[] fields)
    {
        Assert.Equal(fields, CsvFile.ParseLine(line, "test"));
    }

    [Theory]
    [InlineData("a,\"b", "without its closing quote")]
    [InlineData("\"a\"b,c", "text after the closing quote")]
    public void Bad_quoting_is_rejected_with_the_context(string line, string expected)
    {
        var error = Assert.Throws<MedSegException>(() => CsvFile.ParseLine(line, "x.csv line 3"));
        Assert.Contains("x.csv line 3", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Reads_records_with_line_numbers_skipping_blank_lines_and_joining_quoted_line_breaks()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("x.csv");
        File.WriteAllText(path, "h1,h2\r\n\r\na,\"two\nlines\"\nb,c\n\n");

        var records = CsvFile.Read(path).ToList();

        Assert.Equal([1, 3, 5], records.Select(r => r.Line));
        Assert.Equal(["a", "two\nlines"], records[1].Fields);
        Assert.Equal(["b", "c"], records[2].Fields);
    }

    [Fact]
    public void Written_records_read_back()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("x.csv");
        string[] fields = ["plain", "with,comma", "with \"quote\"", "", "two\nlines"];
        using (var writer = new StreamWriter(path))
        {
            CsvFile.WriteRecord(writer, fields);
        }

        Assert.Equal(fields, CsvFile.Read(path).Single().Fields);
    }

    [Fact]
    public void Missing_file_is_reported_by_name()
    {
        var error = Assert.Throws<MedSegException>(() => CsvFile.Read("/nonexistent/folder/x.csv"));
        Assert.Contains("/nonexistent/folder/x.csv", error.Message);
    }
}
