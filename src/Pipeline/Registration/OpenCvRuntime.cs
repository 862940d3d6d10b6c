using OpenCvSharp;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// Loads OpenCV once, before the first real call, so a missing native dependency becomes one clear error instead
/// of a TypeInitializationException deep inside registration. On Debian/Ubuntu the usual cause is GTK 3, which the
/// official OpenCvSharp runtime links against.
/// </summary>
public static class OpenCvRuntime
{
    private static readonly Lazy<Exception?> LoadFailure = new(TryLoad, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <exception cref="OpenCvUnavailableException">The native library or a dependency is missing.</exception>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
        {
            throw new OpenCvUnavailableException(
                "OpenCV's native library (libOpenCvSharpExtern.so) could not be loaded: " + failure.Message +
                ". Install its system dependencies, e.g. `apt-get install -y --no-install-recommends libgtk-3-0`, " +
                "and check `ldd libOpenCvSharpExtern.so` for anything else reported as \"not found\".",
                failure);
        }
    }

    private static Exception? TryLoad()
    {
        try
        {
            using var probe = new Mat(2, 2, MatType.CV_32FC1, Scalar.All(1));
            _ = Cv2.GetNumThreads();
            return null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or BadImageFormatException
            or EntryPointNotFoundException)
        {
            return ex is TypeInitializationException { InnerException: { } inner } ? inner : ex;
        }
    }
}
