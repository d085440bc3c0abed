using System.Globalization;

namespace MedSeg.Core.Data;

/// <summary>The D×H×W size of a 3D training patch or sliding window, written <c>DxHxW</c> on the command line and in configs.</summary>
public readonly record struct PatchSize(int Depth, int Height, int Width)
{
    /// <summary>[D, H, W].</summary>
    public int[] Sizes => [Depth, Height, Width];

    public int Voxels => Depth * Height * Width;

    /// <summary>Parses <c>DxHxW</c> (positive integers); <paramref name="option"/> names the option in the error.</summary>
    public static PatchSize Parse(string text, string option)
    {
        var parts = text.Split('x');
        var sizes = new int[3];
        if (parts.Length == 3 && parts.Select((p, i) => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) && sizes[i] > 0).All(ok => ok))
        {
            return new PatchSize(sizes[0], sizes[1], sizes[2]);
        }
        throw new MedSegException($"{option} '{text}' is not a size; write DxHxW, e.g. 32x128x128.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Depth}x{Height}x{Width}");
}
