using System.Reflection;
using TorchSharp;

namespace MedSeg.Torch;

/// <summary>Versions recorded in run folders and printed by <c>medseg info</c>.</summary>
public static class VersionInfo
{
    public static string MedSeg => Informational(typeof(VersionInfo).Assembly);

    public static string TorchSharp => Informational(typeof(torch).Assembly);

    public static string LibTorch => torch.__version__;

    private static string Informational(Assembly assembly)
    {
        var text = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = text.IndexOf('+');
        return plus < 0 ? text : text[..plus];
    }
}
