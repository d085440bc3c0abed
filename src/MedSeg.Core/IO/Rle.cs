using System.Buffers;
using System.Globalization;

namespace MedSeg.Core.IO;

/// <summary>
/// Run-length encoding of binary masks as used by Kaggle (UW-Madison GI tract): space-separated
/// <c>start length</c> pairs, starts 1-based over the row-major (C-order) flattened H×W image.
/// </summary>
public static class Rle
{
    /// <summary>
    /// Decodes <paramref name="rle"/> into a new H×W row-major mask of 0/1 bytes; an empty or blank string is an
    /// empty mask. <paramref name="context"/> (e.g. "train.csv line 17") names the source in errors.
    /// </summary>
    /// <exception cref="MedSegException">The string is not a valid RLE for an image of this size.</exception>
    public static byte[] Decode(string rle, int height, int width, string context)
    {
        var mask = new byte[checked(height * width)];
        Decode(rle, mask, height, width, context);
        return mask;
    }

    /// <summary>
    /// Decodes <paramref name="rle"/> into <paramref name="mask"/> (length H×W, row-major), which is cleared first;
    /// foreground pixels become 1.
    /// </summary>
    /// <exception cref="MedSegException">The string is not a valid RLE for an image of this size.</exception>
    public static void Decode(string rle, Span<byte> mask, int height, int width, string context)
    {
        ArgumentNullException.ThrowIfNull(rle);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        long total = (long)height * width;
        if (mask.Length != total)
        {
            throw new ArgumentException($"The mask has {mask.Length} elements but the image is {height}×{width}.", nameof(mask));
        }
        mask.Clear();

        ReadOnlySpan<char> rest = rle;
        long previousEnd = 0;
        int pairIndex = 0;
        while (true)
        {
            if (!NextToken(ref rest, out var startText))
            {
                return;
            }
            pairIndex++;
            if (!NextToken(ref rest, out var lengthText))
            {
                throw new MedSegException(
                    $"The RLE in {context} has an odd number of values (run {pairIndex} has a start but no length); write it as space-separated 'start length' pairs.");
            }
            long start = ParseValue(startText, context);
            long length = ParseValue(lengthText, context);
            if (start < 1)
            {
                throw new MedSegException(
                    $"The RLE in {context} has start {start} in run {pairIndex}, but starts are 1-based pixel positions; fix the run to start at 1 or later.");
            }
            if (length <= 0)
            {
                throw new MedSegException(
                    $"The RLE in {context} has length {length} in run {pairIndex}, but every run must cover at least one pixel; remove the run or fix its length.");
            }
            if (start - 1 < previousEnd)
            {
                throw new MedSegException(
                    $"The RLE in {context} has run {pairIndex} starting at {start}, out of order or overlapping the run before it (which ends at {previousEnd}); sort the runs by start and merge overlaps.");
            }
            long end = start - 1 + length;
            if (end > total)
            {
                throw new MedSegException(
                    $"The RLE in {context} has run {pairIndex} ({start} {length}) ending at pixel {end}, past the end of the {height}×{width} image ({total} pixels); check that the image size matches the mask.");
            }
            mask.Slice((int)(start - 1), (int)length).Fill(1);
            previousEnd = end;
        }
    }

    /// <summary>
    /// Encodes a row-major mask (nonzero = foreground) as <c>start length</c> pairs with 1-based starts;
    /// an empty mask gives "".
    /// </summary>
    public static string Encode(ReadOnlySpan<byte> mask)
    {
        int position = mask.IndexOfAnyExcept((byte)0);
        if (position < 0)
        {
            return string.Empty;
        }
        char[] buffer = ArrayPool<char>.Shared.Rent(256);
        int used = 0;
        try
        {
            while (position >= 0)
            {
                int runLength = mask[position..].IndexOf((byte)0);
                if (runLength < 0)
                {
                    runLength = mask.Length - position;
                }
                // Two numbers of at most 10 digits, a space between and one before.
                if (buffer.Length - used < 24)
                {
                    char[] bigger = ArrayPool<char>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, used).CopyTo(bigger);
                    ArrayPool<char>.Shared.Return(buffer);
                    buffer = bigger;
                }
                if (used > 0)
                {
                    buffer[used++] = ' ';
                }
                (position + 1).TryFormat(buffer.AsSpan(used), out int written, default, CultureInfo.InvariantCulture);
                used += written;
                buffer[used++] = ' ';
                runLength.TryFormat(buffer.AsSpan(used), out written, default, CultureInfo.InvariantCulture);
                used += written;

                int next = position + runLength;
                int offset = next < mask.Length ? mask[next..].IndexOfAnyExcept((byte)0) : -1;
                position = offset < 0 ? -1 : next + offset;
            }
            return new string(buffer, 0, used);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool NextToken(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> token)
    {
        int begin = 0;
        while (begin < rest.Length && char.IsWhiteSpace(rest[begin]))
        {
            begin++;
        }
        if (begin == rest.Length)
        {
            token = default;
            rest = default;
            return false;
        }
        int end = begin;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }
        token = rest[begin..end];
        rest = rest[end..];
        return true;
    }

    private static long ParseValue(ReadOnlySpan<char> token, string context)
    {
        if (!long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw new MedSegException(
                $"The RLE in {context} contains '{token.ToString()}', which is not a valid whole number; an RLE holds only space-separated integers.");
        }
        return value;
    }
}
