using System.Globalization;

namespace MedSeg.Core.Sharding;

/// <summary>
/// One of <see cref="Count"/> parts of a job, numbered from 0 as Slurm array tasks and Kubernetes completion indexes
/// are (<c>--shard 0/4</c> … <c>--shard 3/4</c>), so a scheduler's index is the shard number as it is.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>Reads <c>I/N</c> given to <paramref name="option"/> (0 ≤ I &lt; N).</summary>
    /// <exception cref="MedSegException">Not two whole numbers with 0 ≤ I &lt; N.</exception>
    public static Shard Parse(string text, string option = "--shard")
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new Shard(index, count);
        }
        throw new MedSegException($"{option} '{text}' is not I/N with 0 <= I < N (shards count from 0, as Slurm array and Kubernetes indexes do); write e.g. {option} 0/4 ... {option} 3/4.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
