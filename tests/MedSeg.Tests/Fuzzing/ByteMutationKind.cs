namespace MedSeg.Tests.Fuzzing;

/// <summary>The kinds of <see cref="ByteMutation"/>.</summary>
internal enum ByteMutationKind
{
    FlipBit,
    SetByte,
    SetInteger,
    Truncate,
    Insert,
    Delete,
    Duplicate,
}
