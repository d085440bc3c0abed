namespace MedSeg.Core.IO;

/// <summary>One record of a CSV file: its fields and the 1-based line it starts on (the header is line 1).</summary>
public readonly record struct CsvRecord(int Line, string[] Fields);
