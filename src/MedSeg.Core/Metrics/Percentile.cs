namespace MedSeg.Core.Metrics;

/// <summary>Percentiles with linear interpolation between order statistics, as <c>numpy.percentile</c>.</summary>
internal static class Percentile
{
    /// <summary>
    /// The <paramref name="percent"/>-th percentile of the square roots of <paramref name="zeros"/> zeros and the
    /// positive values <paramref name="squares"/> (reordered in place), found by selection in linear expected time
    /// rather than by sorting. The zeros come first in sorted order, so they need not be stored.
    /// </summary>
    public static double OfSquareRoots(Span<double> squares, long zeros, double percent)
    {
        long count = zeros + squares.Length;
        double position = percent / 100 * (count - 1);
        long lower = (long)Math.Floor(position);
        double fraction = position - lower;
        double low = lower < zeros ? 0 : Math.Sqrt(Select(squares, (int)(lower - zeros)));
        if (fraction == 0)
        {
            return low;
        }
        // The next order statistic: a zero, or (after the selection above, which leaves everything right of the
        // selected value at least as large) the smallest positive value not left of it.
        double high;
        if (lower + 1 < zeros)
        {
            high = 0;
        }
        else
        {
            double next = double.PositiveInfinity;
            foreach (double value in squares[(int)(lower + 1 - zeros)..])
            {
                next = Math.Min(next, value);
            }
            high = Math.Sqrt(next);
        }
        return low + (high - low) * fraction;
    }

    // Hoare-partition quickselect with a median-of-three pivot; equal values are split between both sides, so
    // the many ties of distance data (zeros especially) keep it linear.
    private static double Select(Span<double> values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            double pivot = MedianOfThree(values[lo], values[lo + (hi - lo) / 2], values[hi]);
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }
                while (values[j] > pivot)
                {
                    j--;
                }
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }
        return values[k];
    }

    private static double MedianOfThree(double a, double b, double c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
