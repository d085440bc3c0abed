namespace MedSeg.Tests;

/// <summary>
/// Tests that observe process-wide state (the console, libtorch's live tensor count) run in this collection,
/// which xunit runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(nameof(SequentialCollection), DisableParallelization = true)]
public sealed class SequentialCollection;
