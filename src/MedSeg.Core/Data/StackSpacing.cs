using System.Globalization;

namespace MedSeg.Core.Data;

/// <summary>
/// Voxel spacing of a slice stack in mm, in the stack's D×H×W order: slice distance × row distance × column
/// distance, written <c>DxHxW</c> as <c>--patch</c> is (e.g. <c>4x0.8x0.8</c>).
/// </summary>
public readonly record struct StackSpacing(double Depth, double Height, double Width)
{
    /// <summary>Parses <c>DxHxW</c> (positive finite numbers of mm); <paramref name="option"/> names the option in the error.</summary>
    public static StackSpacing Parse(string text, string option)
    {
        var parts = text.Split('x');
        var values = new double[3];
        if (parts.Length == 3 && parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            if (values.All(v => v > 0 && double.IsFinite(v)))
            {
                return new StackSpacing(values[0], values[1], values[2]);
            }
            throw new MedSegException($"{option} '{text}' has a spacing that is not a positive number of mm; every one of D, H and W must be above 0, e.g. 3x1.5x1.5.");
        }
        throw new MedSegException($"{option} '{text}' is not a spacing; write DxHxW in mm (slice x row x column distance), e.g. 3x1.5x1.5.");
    }

    /// <summary>Whether every axis is within <paramref name="tolerance"/> mm of <paramref name="other"/>.</summary>
    public bool Near(StackSpacing other, double tolerance = 1e-6) =>
        Math.Abs(Depth - other.Depth) <= tolerance && Math.Abs(Height - other.Height) <= tolerance && Math.Abs(Width - other.Width) <= tolerance;

    /// <summary>The per-axis median of <paramref name="spacings"/> (nnU-Net's default target spacing).</summary>
    public static StackSpacing Median(IReadOnlyList<StackSpacing> spacings)
    {
        static double Of(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        return new StackSpacing(Of(spacings.Select(s => s.Depth)), Of(spacings.Select(s => s.Height)), Of(spacings.Select(s => s.Width)));
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Depth:0.#####}x{Height:0.#####}x{Width:0.#####}");
}
