namespace MedSeg.Fuzz;

/// <summary>
/// One parser under fuzzing: the name of the file a user would hand it (its ending chooses the reader), how MedSeg
/// reads that file, and small valid files to start the mutations from.
/// </summary>
/// <param name="Name">The target's name on the command line, e.g. <c>nifti</c>.</param>
/// <param name="FileName">The name the input is written under before it is read.</param>
/// <param name="Read">Reads the file at the given path the way MedSeg reads user data.</param>
/// <param name="Seeds">Makes valid inputs (name, bytes): only when asked, since under afl-fuzz no instrumented code may run before the fuzzer has set up its coverage map.</param>
internal sealed record FuzzTarget(string Name, string FileName, Action<string> Read, Func<IReadOnlyList<(string Name, byte[] Bytes)>> Seeds);
