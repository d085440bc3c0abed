namespace MedSeg.Core.Data;

/// <summary>
/// A small, fast pseudo-random generator (xoshiro256** seeded through SplitMix64) whose sequence is fixed by
/// this code alone, so splits and synthetic data are identical on every machine and .NET version
/// (<see cref="System.Random"/> does not promise that). Not thread-safe; not for cryptography.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpareGaussian;

    /// <summary>Creates the generator for <paramref name="seed"/>.</summary>
    public DeterministicRandom(long seed) : this(seed, 0) { }

    /// <summary>
    /// Creates an independent stream <paramref name="stream"/> of the generator for <paramref name="seed"/>, e.g. one
    /// per case, so that what one stream draws never shifts another.
    /// </summary>
    public DeterministicRandom(long seed, long stream)
    {
        ulong state = (ulong)seed;
        ulong mixed = SplitMix64(ref state) ^ ((ulong)stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix64(ref mixed);
        _s1 = SplitMix64(ref mixed);
        _s2 = SplitMix64(ref mixed);
        _s3 = SplitMix64(ref mixed);
    }

    /// <summary>The next 64 uniformly distributed random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="n"/>), without modulo bias.</summary>
    public int NextInt(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        ulong bound = (ulong)n;
        ulong limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);
        return (int)(r % bound);
    }

    /// <summary>A standard normal draw (mean 0, standard deviation 1), by the Marsaglia polar method.</summary>
    public double NextGaussian()
    {
        if (_hasSpareGaussian)
        {
            _hasSpareGaussian = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpareGaussian = true;
        return u * factor;
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}
