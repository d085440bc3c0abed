namespace MedSeg.Core.Preprocessing;

/// <summary>
/// A rectangle of a slice in pixels: rows <see cref="Top"/> … <see cref="Top"/> + <see cref="Height"/> − 1 and
/// columns <see cref="Left"/> … <see cref="Left"/> + <see cref="Width"/> − 1. Cuts planes (row-major) to the box
/// and pastes planes of the box's size back into a full slice.
/// </summary>
public readonly record struct CropBox
{
    public CropBox(int top, int left, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        Top = top;
        Left = left;
        Height = height;
        Width = width;
    }

    public int Top { get; }

    public int Left { get; }

    public int Height { get; }

    public int Width { get; }

    /// <summary>Pixels in the box.</summary>
    public int Pixels => Height * Width;

    /// <summary>The box covering a whole <paramref name="height"/>×<paramref name="width"/> slice.</summary>
    public static CropBox Full(int height, int width) => new(0, 0, height, width);

    /// <summary>Whether this box is the whole <paramref name="height"/>×<paramref name="width"/> slice.</summary>
    public bool Covers(int height, int width) => this == Full(height, width);

    /// <summary>Copies the box of <paramref name="source"/> (a row-major slice <paramref name="sourceWidth"/> wide) into <paramref name="target"/> (Height×Width).</summary>
    public void Crop<T>(ReadOnlySpan<T> source, int sourceWidth, Span<T> target)
    {
        CheckFits(source.Length, sourceWidth);
        for (var row = 0; row < Height; row++)
        {
            source.Slice((Top + row) * sourceWidth + Left, Width).CopyTo(target.Slice(row * Width, Width));
        }
    }

    /// <summary>
    /// Writes <paramref name="crop"/> (Height×Width, e.g. a prediction made on the cropped slice) into its place in
    /// <paramref name="full"/> (a row-major slice <paramref name="fullWidth"/> wide) and zeros everywhere else.
    /// </summary>
    public void PasteBack<T>(ReadOnlySpan<T> crop, Span<T> full, int fullWidth)
    {
        CheckFits(full.Length, fullWidth);
        full.Clear();
        for (var row = 0; row < Height; row++)
        {
            crop.Slice(row * Width, Width).CopyTo(full.Slice((Top + row) * fullWidth + Left, Width));
        }
    }

    private void CheckFits(int length, int sliceWidth)
    {
        if (Left + Width > sliceWidth || (long)(Top + Height) * sliceWidth > length)
        {
            throw new ArgumentException($"the crop box {this} does not fit a slice {sliceWidth} wide of {length} pixels.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"rows {Top}..{Top + Height - 1}, columns {Left}..{Left + Width - 1}";
}
