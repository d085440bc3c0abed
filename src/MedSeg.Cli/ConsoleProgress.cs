using System.Diagnostics;

namespace MedSeg.Cli;

/// <summary>
/// Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a plain line about every ten seconds
/// (so logs of unattended runs stay readable).
/// </summary>
public sealed class ConsoleProgress
{
    private const int BarWidth = 30;
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(10);
    private readonly bool terminal = !Console.IsErrorRedirected;
    private readonly Stopwatch sinceLast = Stopwatch.StartNew();
    private bool drawn;

    /// <summary>Shows <paramref name="fraction"/> (0..1) of the current task with a short status text.</summary>
    public void Update(double fraction, string status)
    {
        if (terminal)
        {
            var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * BarWidth);
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {status}\u001b[K");
            drawn = true;
        }
        else if (sinceLast.Elapsed >= PlainInterval)
        {
            Console.Error.WriteLine($"{fraction * 100:F0}% {status}");
            sinceLast.Restart();
        }
    }

    /// <summary>Removes the bar so a normal line can be printed.</summary>
    public void Clear()
    {
        if (drawn)
        {
            Console.Error.Write("\r\u001b[K");
            drawn = false;
        }
    }
}
