namespace MedSeg.Core;

/// <summary>
/// A problem with the user's input (a file, a row, an option) that MedSeg reports as one sentence naming
/// what is wrong and how to fix it. The CLI prints the message to stderr and exits non-zero.
/// </summary>
public class MedSegException : Exception
{
    public MedSegException(string message) : base(message) { }

    public MedSegException(string message, Exception inner) : base(message, inner) { }
}
