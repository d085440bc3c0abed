using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace MedSeg.Torch.Native;

/// <summary>
/// Binds TorchSharp's P/Invokes to <c>libmedseg_scalar_lifetime.so</c> (built from
/// <c>scalar_lifetime_shim.c</c> on Linux), which delays every <c>THSTorch_dispose_scalar</c> by 65,536 disposals
/// and forwards every other symbol to libLibTorchSharp. TorchSharp 0.107 hands libtorch the handle of a temporary
/// Scalar (each implicit conversion: <c>x + 0.5</c>, the alpha of <c>x + y</c>, its BatchNorm counter, its optimizer
/// coefficients) without keeping the managed object alive, so a garbage collection on another thread could free it
/// mid-call: "argument alpha must not be a floating point number", or a silently wrong number. Installed by this
/// assembly's module initializer; hosts that call TorchSharp before touching MedSeg call <see cref="Install"/> first.
/// Elsewhere (no shim built, Windows, macOS) TorchSharp binds as usual and <see cref="IsActive"/> is false.
/// </summary>
public static class ScalarLifetimeShim
{
    public const string LibraryFile = "libmedseg_scalar_lifetime.so";
    private const string TorchSharpLibrary = "LibTorchSharp";
    private static readonly object Gate = new();
    private static string? libraryPath;
    private static IntPtr handle;
    private static bool installed;

    /// <summary>Whether TorchSharp's native calls are bound to the shim (true once any TorchSharp call was made with it installed).</summary>
    public static bool IsActive => DeferredDisposals > 0;

    /// <summary>How many later disposals each scalar's free waits for, as the bound shim reports it; 0 when inactive.</summary>
    public static int DeferredDisposals
    {
        get
        {
            lock (Gate)
            {
                if (handle == IntPtr.Zero || !NativeLibrary.TryGetExport(handle, "medseg_scalar_lifetime_deferred", out var export))
                {
                    return 0;
                }
                return Marshal.GetDelegateForFunctionPointer<DeferredCount>(export)();
            }
        }
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int DeferredCount();

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before TorchSharp binds its first P/Invoke.")]
    internal static void InstallOnLoad() => Install();

    /// <summary>Registers the resolver once; returns whether the shim library was found for this process.</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            if (installed)
            {
                return libraryPath is not null;
            }
            installed = true;
            libraryPath = Locate();
            if (libraryPath is null)
            {
                return false;
            }
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                libraryPath = null; // the host registered its own resolver for TorchSharp: leave binding to it
            }
            return libraryPath is not null;
        }
    }

    private static string? Locate()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
        {
            return null;
        }
        var candidates = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(ScalarLifetimeShim).Assembly.Location) ?? "" }
            .Select(folder => Path.Combine(folder, "runtimes", "linux-x64", "native", LibraryFile));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != TorchSharpLibrary || libraryPath is null)
        {
            return IntPtr.Zero;
        }
        lock (Gate)
        {
            if (handle == IntPtr.Zero && !NativeLibrary.TryLoad(libraryPath, out handle))
            {
                libraryPath = null; // unloadable (e.g. built for another libc): bind to TorchSharp's library as usual
            }
            return handle;
        }
    }
}
