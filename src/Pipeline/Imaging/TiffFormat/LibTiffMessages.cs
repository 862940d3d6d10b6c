using System.Globalization;
using BitMiracle.LibTiff.Classic;

namespace LabelFree.Pipeline.Imaging.TiffFormat;

/// <summary>
/// Collects what LibTiff.NET reports while one thread reads or writes a file. LibTiff's handler is process-wide
/// and by default prints to stderr; we install one router that hands each message to the capture open on the
/// calling thread (LibTiff calls are synchronous), so messages end up in our exceptions instead of on the console.
/// Threads without an open capture keep whatever handler was installed before.
/// </summary>
internal sealed class LibTiffMessages : IDisposable
{
    private static readonly Lazy<Router> InstalledRouter = new(Router.Install, LazyThreadSafetyMode.ExecutionAndPublication);

    [ThreadStatic]
    private static LibTiffMessages? t_current;

    private readonly LibTiffMessages? _outer;
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    private LibTiffMessages(LibTiffMessages? outer) => _outer = outer;

    public IReadOnlyList<string> Errors => _errors;

    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Starts collecting LibTiff messages on this thread until the returned capture is disposed.</summary>
    public static LibTiffMessages Capture()
    {
        _ = InstalledRouter.Value;
        var capture = new LibTiffMessages(t_current);
        t_current = capture;
        return capture;
    }

    /// <summary>The errors so far (or, when none, the warnings), for an exception message.</summary>
    public string Summary()
    {
        var messages = _errors.Count > 0 ? _errors : _warnings;
        return messages.Count == 0 ? "no detail from LibTiff" : "LibTiff: " + string.Join("; ", messages.Distinct().Take(5));
    }

    public void Dispose() => t_current = _outer;

    private static string Format(string method, string format, object[] args)
    {
        string text;
        try
        {
            text = args is { Length: > 0 } ? string.Format(CultureInfo.InvariantCulture, format, args) : format;
        }
        catch (FormatException)
        {
            text = format;
        }

        return string.IsNullOrEmpty(method) ? text : $"{method}: {text}";
    }

    private sealed class Router : TiffErrorHandler
    {
        private TiffErrorHandler? _previous;

        public static Router Install()
        {
            var router = new Router();
            router._previous = Tiff.SetErrorHandler(router);
            return router;
        }

        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (t_current is { } capture)
            {
                capture._errors.Add(Format(method, format, args));
            }
            else
            {
                _previous?.ErrorHandler(tif, method, format, args);
            }
        }

        public override void WarningHandler(Tiff tif, string method, string format, params object[] args)
        {
            if (t_current is { } capture)
            {
                capture._warnings.Add(Format(method, format, args));
            }
            else
            {
                _previous?.WarningHandler(tif, method, format, args);
            }
        }
    }
}
