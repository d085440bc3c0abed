namespace MedSeg.Core.Cluster;

/// <summary>
/// One array of identical tasks in a plan: <see cref="Tasks"/> runs of <c>medseg</c> with <see cref="Arguments"/>, in
/// which <see cref="Index"/> stands for the task's index (0..Tasks-1). Stages of one <see cref="Wave"/> may run at the
/// same time; a wave starts when every stage of the waves before it succeeded. <see cref="UsesDevice"/>: the tasks
/// compute on <c>--device</c> (a GPU with <c>cuda</c>).
/// </summary>
public sealed record JobStage(string Name, int Wave, int Tasks, IReadOnlyList<string> Arguments, bool UsesDevice)
{
    /// <summary>The placeholder for the task index in <see cref="Arguments"/>.</summary>
    public const string Index = "{index}";

    /// <summary>The arguments of task <paramref name="index"/> (or with the index as a scheduler's variable, e.g. <c>$(JOB_COMPLETION_INDEX)</c>).</summary>
    public IReadOnlyList<string> ArgumentsFor(string index) => Arguments.Select(a => a.Replace(Index, index, StringComparison.Ordinal)).ToArray();
}
