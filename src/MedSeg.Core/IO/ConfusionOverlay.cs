using OpenCvSharp;

namespace MedSeg.Core.IO;

/// <summary>
/// Draws one class's prediction against its truth over a slice for a person to look at, in the class's colour
/// (<see cref="OverlayImage.ClassColour"/>) on the gray image windowed as <see cref="OverlayImage"/> does: true
/// positives filled, false positives (predicted only) striped with white along "/", false negatives (missed) striped
/// with black along "\". A slice smaller than <see cref="TargetSize"/> is enlarged by a whole factor (nearest
/// neighbour) so the stripes are finer than its pixels. When truth and prediction together lie in a small part of
/// the slice, a second view enlarges the region around them, and the slice shows that region framed in white.
/// </summary>
public static class ConfusionOverlay
{
    /// <summary>The size in output pixels the longer side of a view is enlarged towards.</summary>
    public const int TargetSize = 256;

    /// <summary>How strongly the class colour covers the image on a true positive.</summary>
    public const float TruePositiveOpacity = 0.6f;

    /// <summary>Width in output pixels of each stripe of a false positive or false negative.</summary>
    public const int StripeWidth = 2;

    private const int MaxZoom = 32;
    private const int MinMargin = 4;

    private static readonly (byte R, byte G, byte B) White = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) Black = (0, 0, 0);

    /// <summary>
    /// Renders the slice (8-bit RGB PNG) and, when the structure is small (truth and prediction with a margin of
    /// half their extent, at least <c>4</c> pixels, fit in half the slice's height and half its width), the enlarged
    /// view around it.
    /// </summary>
    /// <param name="image">H×W row-major image.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="truth">H×W true mask; nonzero = inside.</param>
    /// <param name="pred">H×W predicted mask; nonzero = inside.</param>
    /// <param name="classIndex">The class's place among the classes after background, which picks its colour.</param>
    public static (byte[] Png, ConfusionCrop? Crop) Render(
        ReadOnlySpan<ushort> image, int height, int width, byte[] truth, byte[] pred, int classIndex)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(pred);
        Png16.CheckSize(image.Length, height, width);
        Png16.CheckSize(truth.Length, height, width);
        Png16.CheckSize(pred.Length, height, width);
        var view = new View(OverlayImage.WindowedGray(image), width, truth, pred, OverlayImage.ClassColour(classIndex));
        Region whole = new(0, 0, height, width);
        Region? small = SmallStructure(truth, pred, height, width);
        byte[] slice = view.Encode(whole, Zoom(whole), small);
        if (small is not Region region)
        {
            return (slice, null);
        }
        int zoom = Math.Max(2, Zoom(region));
        return (slice, new ConfusionCrop(view.Encode(region, zoom, frame: null), region.Top, region.Left, region.Height, region.Width, zoom));
    }

    private static int Zoom(Region region) => Math.Clamp(TargetSize / Math.Max(region.Height, region.Width), 1, MaxZoom);

    // The bounding box of truth and prediction grown by the margin and cut to the slice, when it is small; else null.
    private static Region? SmallStructure(byte[] truth, byte[] pred, int height, int width)
    {
        int top = height, left = width, bottom = -1, right = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                if (truth[i] != 0 || pred[i] != 0)
                {
                    (top, bottom) = (Math.Min(top, y), Math.Max(bottom, y));
                    (left, right) = (Math.Min(left, x), Math.Max(right, x));
                }
            }
        }
        if (bottom < 0)
        {
            return null;
        }
        int margin = Math.Max(MinMargin, Math.Max(bottom - top + 1, right - left + 1) / 2);
        (top, left) = (Math.Max(0, top - margin), Math.Max(0, left - margin));
        (bottom, right) = (Math.Min(height - 1, bottom + margin), Math.Min(width - 1, right + margin));
        var region = new Region(top, left, bottom - top + 1, right - left + 1);
        return 2 * region.Height <= height && 2 * region.Width <= width ? region : null;
    }

    private readonly record struct Region(int Top, int Left, int Height, int Width)
    {
        public bool OnEdge(int y, int x) =>
            y >= Top && y < Top + Height && x >= Left && x < Left + Width
            && (y == Top || y == Top + Height - 1 || x == Left || x == Left + Width - 1);
    }

    private sealed record View(float[] Gray, int SliceWidth, byte[] Truth, byte[] Pred, (byte R, byte G, byte B) Colour)
    {
        // The region enlarged `zoom` times, with the edge of `frame` (slice pixels outside both masks) drawn white.
        public byte[] Encode(Region region, int zoom, Region? frame)
        {
            int rows = region.Height * zoom, columns = region.Width * zoom;
            using var mat = new Mat(rows, columns, MatType.CV_8UC3);
            for (int oy = 0; oy < rows; oy++)
            {
                int y = region.Top + oy / zoom;
                Span<byte> row = Png16.PixelSpan<byte>(mat, oy, columns * 3);
                for (int ox = 0; ox < columns; ox++)
                {
                    int x = region.Left + ox / zoom;
                    (float r, float g, float b) = Pixel(y * SliceWidth + x, ox + oy, ox - oy + rows, frame?.OnEdge(y, x) == true);
                    // OpenCV stores colour pixels as B, G, R.
                    row[3 * ox] = (byte)(b + 0.5f);
                    row[3 * ox + 1] = (byte)(g + 0.5f);
                    row[3 * ox + 2] = (byte)(r + 0.5f);
                }
            }
            return Png16.EncodeMat(mat);
        }

        // `rising` (x + y) is constant along "/", `falling` (x − y, kept positive) along "\", both in output pixels.
        private (float R, float G, float B) Pixel(int i, int rising, int falling, bool frame)
        {
            bool inTruth = Truth[i] != 0, inPred = Pred[i] != 0;
            float gray = Gray[i];
            if (inTruth && inPred)
            {
                return (gray + (Colour.R - gray) * TruePositiveOpacity,
                        gray + (Colour.G - gray) * TruePositiveOpacity,
                        gray + (Colour.B - gray) * TruePositiveOpacity);
            }
            if (inPred)
            {
                return Stripe(rising, White);
            }
            if (inTruth)
            {
                return Stripe(falling, Black);
            }
            return frame ? White : (gray, gray, gray);
        }

        private (float R, float G, float B) Stripe(int diagonal, (byte R, byte G, byte B) between) =>
            diagonal / StripeWidth % 2 == 0 ? (Colour.R, Colour.G, Colour.B) : (between.R, between.G, between.B);
    }
}
