namespace MedSeg.Core;

/// <summary>
/// A problem with the user's input (a file, a row, an option) that MedSeg reports as one sentence naming
/// what is wrong and how to fix it. The CLI prints the message to stderr and exits non-zero. Line breaks in the
/// message (quoted file content, a JSON parser's excerpt) are written as <c>\n</c>, so the error stays one line.
/// </summary>
public class MedSegException : Exception
{
    public MedSegException(string message) : base(OneLine(message)) { }

    public MedSegException(string message, Exception inner) : base(OneLine(message), inner) { }

    private static string OneLine(string message) => message.ReplaceLineEndings("\\n");
}
