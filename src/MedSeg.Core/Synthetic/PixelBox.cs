namespace MedSeg.Core.Synthetic;

/// <summary>A rectangle of pixels, columns [X0, X1) and rows [Y0, Y1); empty when X0 ≥ X1 or Y0 ≥ Y1.</summary>
internal readonly record struct PixelBox(int X0, int Y0, int X1, int Y1)
{
    public static PixelBox Empty => new(0, 0, 0, 0);

    public bool IsEmpty => X0 >= X1 || Y0 >= Y1;

    /// <summary>The box around [x0, x1]×[y0, y1] (pixel coordinates, inclusive), clipped to the image.</summary>
    public static PixelBox Around(float x0, float y0, float x1, float y1, int height, int width) => new(
        Math.Max(0, (int)MathF.Floor(x0)),
        Math.Max(0, (int)MathF.Floor(y0)),
        Math.Min(width, (int)MathF.Ceiling(x1) + 1),
        Math.Min(height, (int)MathF.Ceiling(y1) + 1));

    public PixelBox Union(PixelBox other) => IsEmpty ? other : other.IsEmpty ? this : new(
        Math.Min(X0, other.X0), Math.Min(Y0, other.Y0), Math.Max(X1, other.X1), Math.Max(Y1, other.Y1));
}
