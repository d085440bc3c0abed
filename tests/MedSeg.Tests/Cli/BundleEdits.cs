using System.IO.Compression;

namespace MedSeg.Tests.Cli;

/// <summary>Changes made to copies of model bundles, as someone tampering with one would.</summary>
internal static class BundleEdits
{
    /// <summary>A copy of <paramref name="bundle"/> at <paramref name="path"/> with <paramref name="change"/> applied.</summary>
    public static string Copy(string bundle, string path, Action<ZipArchive> change)
    {
        File.Copy(bundle, path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        change(zip);
        return path;
    }

    public static string Read(ZipArchive zip, string member)
    {
        using var reader = new StreamReader(zip.GetEntry(member)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary>Replaces <paramref name="member"/>'s content with <paramref name="text"/> (UTF-8).</summary>
    public static void Replace(ZipArchive zip, string member, string text) => Replace(zip, member, System.Text.Encoding.UTF8.GetBytes(text));

    public static void Replace(ZipArchive zip, string member, byte[] content)
    {
        zip.GetEntry(member)!.Delete();
        using var stream = zip.CreateEntry(member).Open();
        stream.Write(content);
    }
}
