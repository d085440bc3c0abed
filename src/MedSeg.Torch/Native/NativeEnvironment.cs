using System.Runtime.InteropServices;

namespace MedSeg.Torch.Native;

/// <summary>
/// The C library's environment, which libtorch and oneDNN read (<c>Environment.SetEnvironmentVariable</c> changes only
/// .NET's copy on Unix).
/// </summary>
internal static class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> unless it is set; false when <c>setenv</c> failed.</summary>
    public static bool SetUnlessSet(string name, string value) => setenv(name, value, 0) == 0;

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
