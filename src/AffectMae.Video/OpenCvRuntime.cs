using OpenCvSharp;

namespace AffectMae.Video;

/// <summary>Checks once that OpenCV's native library loads, and says which package to add when it does not.</summary>
/// <remarks>
/// AffectMae.Video references the managed <c>OpenCvSharp4</c> package only; the native OpenCV (with FFmpeg inside)
/// comes from a runtime package the application picks for its platform, as it picks a TorchSharp backend.
/// </remarks>
public static class OpenCvRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad);

    /// <summary>The runtime package for Linux x64 (tested here): OpenCV 4.13 with FFmpeg video I/O.</summary>
    public const string LinuxX64Package = "OpenCvSharp4.official.runtime.linux-x64";

    /// <summary>The runtime package for Windows.</summary>
    public const string WindowsPackage = "OpenCvSharp4.runtime.win";

    /// <summary>Throws a clear <see cref="InvalidOperationException"/> when OpenCV's native library cannot be loaded.</summary>
    /// <exception cref="InvalidOperationException">The native library is missing; the message names the package to reference.</exception>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
            throw new InvalidOperationException(
                "OpenCV's native library could not be loaded. AffectMae.Video needs a native OpenCV runtime next to the "
                + $"managed OpenCvSharp4: reference {LinuxX64Package} on Linux x64 or {WindowsPackage} on Windows "
                + $"(same version as OpenCvSharp4). Loader said: {failure.GetBaseException().Message}", failure);
    }

    /// <summary>OpenCV's version string, e.g. "4.13.0".</summary>
    public static string Version
    {
        get
        {
            EnsureLoaded();
            return Cv2.GetVersionString() ?? "";
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            _ = Cv2.GetVersionString();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException)
        {
            return e;
        }
    }
}
