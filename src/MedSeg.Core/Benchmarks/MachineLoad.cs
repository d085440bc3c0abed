using System.Globalization;

namespace MedSeg.Core.Benchmarks;

/// <summary>The machine's load, recorded beside benchmark figures: on a small shared machine it moves them more than anything measured.</summary>
public static class MachineLoad
{
    /// <summary>The 1-minute load average on Linux; null elsewhere.</summary>
    public static double? OneMinute()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
