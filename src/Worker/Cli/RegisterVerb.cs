using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Worker.Cli;

/// <summary>
/// <c>labelfree register</c>: places a moving image (an IF prediction, given directly with --moving or predicted from an
/// EM micrograph with --em and --model) inside a larger IF image (--target), writes the result JSON (--out) and
/// optionally a two-channel overlay for checking in Fiji (--overlay). With --reference, the result also holds the error
/// against that transform (METHOD §7). Exit code 0 when the moving image was registered, 1 when the result is
/// "insufficient content" or "not converged" (the JSON is still written and says why), 2 for a wrong command line.
/// </summary>
public static class RegisterVerb
{
    /// <summary>Predicts an IF image from an EM micrograph with a structure model bundle (reflect-pad, predict, crop back).</summary>
    /// <returns>The prediction, with the pixel size it is on.</returns>
    public delegate CalibratedImage EmPredictor(CalibratedImage em, string modelBundlePath, CancellationToken cancellation);

    /// <summary>How the verb reads image files and writes the OME-TIFF overlay.</summary>
    public sealed record ImageFiles(Func<string, Hyperstack> Read, Action<Hyperstack, string> WriteOmeTiff);

    /// <param name="files">Image file access (HyperstackFile.Read and OmeTiffWriter.Write).</param>
    /// <param name="predictFromEm">The structure model's EM-to-IF prediction; without it --em/--model report that this build cannot predict.</param>
    public static Command Create(ImageFiles files, EmPredictor? predictFromEm = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var em = new Option<FileInfo>("--em") { Description = "EM micrograph (TIFF) to predict the moving IF image from; needs --model." };
        var model = new Option<DirectoryInfo>("--model") { Description = "Structure model bundle that predicts IF from EM; needs --em." };
        var moving = new Option<FileInfo>("--moving") { Description = "Moving image already in IF space (e.g. a saved prediction), instead of --em/--model." };
        var target = new Option<FileInfo>("--target") { Description = "The larger fixed IF image (TIFF / OME-TIFF).", Required = true };
        var targetChannel = new Option<string>("--target-channel") { Description = "Channel of the target to register against, by name or 0-based index (default: the first)." };
        var movingPixel = new Option<double?>("--moving-pixel-um") { Description = "Moving (or EM) pixel size in µm; default: from the file." };
        var targetPixel = new Option<double?>("--target-pixel-um") { Description = "Target pixel size in µm; default: from the file." };
        var reference = new Option<FileInfo>("--reference") { Description = "Reference transform JSON to report the error against (mean displacement in target pixels)." };
        var output = new Option<FileInfo>("--out") { Description = "Result JSON to write.", Required = true };
        var overlay = new Option<FileInfo>("--overlay") { Description = "Two-channel OME-TIFF to write: the target around the footprint and the moving image registered onto it." };

        var command = new Command("register", "Register a predicted IF image (or an EM micrograph through a structure model) into a larger IF image.");
        foreach (var option in new Option[] { em, model, moving, target, targetChannel, movingPixel, targetPixel, reference, output, overlay })
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() => Run(new Request(
            parsed.GetValue(em), parsed.GetValue(model), parsed.GetValue(moving), parsed.GetValue(target)!,
            parsed.GetValue(targetChannel), parsed.GetValue(movingPixel), parsed.GetValue(targetPixel),
            parsed.GetValue(reference), parsed.GetValue(output)!, parsed.GetValue(overlay)), files, predictFromEm, cancellation), cancellation));
        return command;
    }

    private static int Run(Request request, ImageFiles files, EmPredictor? predictFromEm, CancellationToken cancellation)
    {
        var fromEm = CheckSources(request);
        if (fromEm && predictFromEm is null)
        {
            Console.Error.WriteLine("error: --em/--model needs the 2D structure model, which this build does not include; " +
                "predict the IF image separately and pass it with --moving.");
            return ExitCodes.Failure;
        }

        try
        {
            var referenceTransform = request.Reference is null ? null : RegistrationJson.ReadTransform(request.Reference.FullName);
            var (fixedImage, fixedInfo) = Load(files, request.Target.FullName, request.TargetChannel, request.TargetPixelUm, "--target-pixel-um");
            CalibratedImage movingImage;
            RegistrationReportImage movingInfo;
            double? predictionSeconds = null;
            if (fromEm)
            {
                var (emImage, emInfo) = Load(files, request.Em!.FullName, null, request.MovingPixelUm, "--moving-pixel-um");
                var clock = Stopwatch.StartNew();
                movingImage = predictFromEm!(emImage, request.Model!.FullName, cancellation);
                predictionSeconds = clock.Elapsed.TotalSeconds;
                movingInfo = emInfo with { Width = movingImage.Width, Height = movingImage.Height, PixelSizeUm = movingImage.PixelSizeUm };
            }
            else
            {
                (movingImage, movingInfo) = Load(files, request.Moving!.FullName, null, request.MovingPixelUm, "--moving-pixel-um");
            }

            var result = EmToIfRegistration.Register(movingImage, fixedImage, cancellation: cancellation);
            var report = RegistrationReport.Create(result, movingInfo, fixedInfo, referenceTransform, predictionSeconds);
            WriteJson(report, request.Output.FullName);
            if (request.Overlay is not null && result.Transform is not null)
            {
                EnsureFolder(request.Overlay.FullName);
                files.WriteOmeTiff(RegistrationOverlay.Create(movingImage, fixedImage, result.Transform), request.Overlay.FullName);
            }

            Console.WriteLine(Summary(result, report));
            return result.Outcome == RegistrationOutcome.Registered ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is RegistrationInputException or OpenCvUnavailableException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    // True for the EM path; throws UsageException unless exactly one source is given completely.
    private static bool CheckSources(Request request)
    {
        var fromEm = request.Em is not null || request.Model is not null;
        if (fromEm && request.Moving is not null)
        {
            throw new UsageException("give either --moving or --em with --model, not both.");
        }

        if (fromEm && (request.Em is null || request.Model is null))
        {
            throw new UsageException("--em and --model go together: the EM micrograph and the model that predicts IF from it.");
        }

        if (!fromEm && request.Moving is null)
        {
            throw new UsageException("give the moving image: --moving PRED.tif, or --em EM.tif --model BUNDLE.");
        }

        if (request.MovingPixelUm is { } m && !(double.IsFinite(m) && m > 0) || request.TargetPixelUm is { } t && !(double.IsFinite(t) && t > 0))
        {
            throw new UsageException("pixel sizes must be positive numbers of micrometres.");
        }

        return fromEm;
    }

    private static (CalibratedImage Image, RegistrationReportImage Info) Load(ImageFiles files, string path, string? channel,
        double? pixelSizeUm, string pixelOption)
    {
        var stack = files.Read(path);
        if (stack.Frames != 1 || stack.Shape.Z != 1)
        {
            throw new ImageFileException(path, ImageProblem.UnsupportedFormat, FormattableString.Invariant(
                $"registration needs a single 2D image, the file holds T = {stack.Frames}, Z = {stack.Shape.Z}."));
        }

        var index = ChannelIndex(stack, path, channel);
        var pixel = pixelSizeUm ?? stack.VoxelSize?.X
            ?? throw new UsageException($"{path} records no pixel size: pass {pixelOption}.");
        var image = new CalibratedImage(stack[0, index], pixel);
        var channelName = stack.Channels > 1 ? stack.ChannelNames[index] : null;
        return (image, new RegistrationReportImage(path, image.Width, image.Height, pixel, channelName));
    }

    private static int ChannelIndex(Hyperstack stack, string path, string? channel)
    {
        if (string.IsNullOrWhiteSpace(channel))
        {
            return 0;
        }

        var index = int.TryParse(channel, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : stack.IndexOfChannel(channel);
        if (index < 0 || index >= stack.Channels)
        {
            throw new ImageFileException(path, ImageProblem.ChannelOutOfRange,
                $"channel '{channel}' does not exist; the file has {string.Join(", ", stack.ChannelNames.Select((n, i) => $"{i}: {n}"))}.");
        }

        return index;
    }

    private static void WriteJson(RegistrationReport report, string path)
    {
        EnsureFolder(path);
        File.WriteAllText(path, JsonSerializer.Serialize(report, RegistrationJson.Options));
    }

    private static void EnsureFolder(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
    }

    private static string Summary(RegistrationResult result, RegistrationReport report)
    {
        var line = $"{result.Outcome}";
        if (result.Transform is { } t)
        {
            line += FormattableString.Invariant(
                $": scale {t.Scale:0.#####} (relative {t.RelativeScale:0.####}), rotation {t.RotationDegrees:0.###}°, translation ({t.TranslationX:0.##}, {t.TranslationY:0.##}) px, quality {result.Quality:0.###}");
        }

        if (report.ErrorVersusReferencePixels is { } error)
        {
            line += FormattableString.Invariant($", error vs reference {error:0.###} px");
        }

        line += FormattableString.Invariant($", {result.Timings.TotalSeconds:0.##} s");
        return result.Reason is null ? line : $"{line} ({result.Reason})";
    }

    private sealed record Request(FileInfo? Em, DirectoryInfo? Model, FileInfo? Moving, FileInfo Target, string? TargetChannel,
        double? MovingPixelUm, double? TargetPixelUm, FileInfo? Reference, FileInfo Output, FileInfo? Overlay);
}
