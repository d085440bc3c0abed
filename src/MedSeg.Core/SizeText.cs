
namespace MedSeg.Core;

/// <summary>Parses sizes written as <c>HxW</c> (or <c>DxHxW</c>) on the command line and in configs.</summary>
public static class SizeText
{
    public static (int Height, int Width) Parse(string text, string option)
    {
        var parts = text.Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out var h) && int.TryParse(parts[1], out var w) && h > 0 && w > 0)
        {
            return (h, w);
        }
        throw new MedSegException($"{option} '{text}' is not a size; write HxW, e.g. 128x160.");
    }
}
