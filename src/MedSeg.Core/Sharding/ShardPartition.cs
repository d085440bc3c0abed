using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MedSeg.Core.Sharding;

/// <summary>
/// Splits the output units of a prediction into shards by case, balanced by slice count: cases are taken from the
/// most slices to the fewest (ties: the earlier case first) and each goes to the shard with the fewest slices so far
/// (ties: the lower shard), the longest-processing-time rule. The same units give the same split on every machine.
/// </summary>
public static class ShardPartition
{
    /// <summary>The record of <paramref name="shard"/>: its units with their places in the unsharded output, and the fingerprints merge compares.</summary>
    /// <param name="items">Every output unit of the unsharded run, in its output order.</param>
    /// <param name="kind">What the output is (<see cref="ShardRecord.Submission"/> or <see cref="ShardRecord.Files"/>).</param>
    /// <param name="settings">A fingerprint of the models and options (<see cref="Fingerprint"/>), equal for every shard of one job.</param>
    public static ShardRecord Plan(IReadOnlyList<ShardItem> items, Shard shard, string kind, string settings)
    {
        ArgumentNullException.ThrowIfNull(items);
        var cases = items.Select((item, position) => (item, position))
            .GroupBy(p => p.item.Case, StringComparer.Ordinal)
            .Select(g => (Case: g.Key, First: g.First().position, Slices: g.Sum(p => (long)p.item.Slices)))
            .OrderByDescending(c => c.Slices).ThenBy(c => c.First)
            .ToArray();
        var load = new long[shard.Count];
        var mine = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            var target = Array.IndexOf(load, load.Min());
            load[target] += c.Slices;
            if (target == shard.Index)
            {
                mine.Add(c.Case);
            }
        }
        var entries = items.Select((item, position) => (item, position))
            .Where(p => mine.Contains(p.item.Case))
            .Select(p => new ShardEntry(p.item.Id, p.position))
            .ToArray();
        var fingerprint = Fingerprint(items.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Id}\t{i.Case}\t{i.Slices}")));
        return new ShardRecord
        {
            Shard = shard.Index,
            Shards = shard.Count,
            Kind = kind,
            Inputs = fingerprint,
            InputItems = items.Count,
            Settings = settings,
            Items = entries,
        };
    }

    /// <summary>A short SHA-256 fingerprint of <paramref name="lines"/> in their order.</summary>
    public static string Fingerprint(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = string.Concat(lines.Select(l => l + "\n"));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
