using System.CommandLine;
using System.Text.Json;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Worker.Cli;

/// <summary>
/// <c>labelfree register</c>: places a moving image (an IF prediction, given with --moving or predicted from an EM
/// micrograph with --em and --model) inside a larger IF image (--target), writes the result JSON (--out) and, with
/// --overlay, a two-channel OME-TIFF for checking by eye. With --reference the result also holds the error against
/// that transform (METHOD §7). Exit code 0 when the outcome is Registered; 1 when it is InsufficientContent or
/// NotConverged (the JSON is still written and says why) or an input is bad; 2 for a wrong command line.
/// </summary>
public static class RegisterVerb
{
    public static Command Create()
    {
        var em = new Option<FileInfo>("--em") { Description = "EM micrograph to predict the moving IF image from (needs --model).", }.AcceptExistingOnly();
        var model = new Option<DirectoryInfo>("--model") { Description = "2D structure model bundle that predicts IF from EM (needs --em)." }.AcceptExistingOnly();
        var moving = new Option<FileInfo>("--moving") { Description = "Moving image already in IF space, e.g. a saved prediction (instead of --em/--model)." }.AcceptExistingOnly();
        var target = new Option<FileInfo>("--target") { Description = "The larger fixed IF image (TIFF, ImageJ or OME-TIFF).", Required = true }.AcceptExistingOnly();
        var targetChannel = new Option<string?>("--target-channel") { Description = "The target channel to register against (e.g. MBP), by index or name (default: 0)." };
        var movingPixel = new Option<double?>("--moving-pixel-um") { Description = "Pixel size of the moving image (or EM) in µm; default: from the file." };
        var targetPixel = new Option<double?>("--target-pixel-um") { Description = "Pixel size of the target in µm; default: from the file." };
        // No rotation limit: the rough placement matches rotation-invariant keypoints, so any angle is searched.
        var minScale = new Option<double>("--min-scale")
        {
            Description = "Smallest scale searched, relative to what the pixel sizes imply (a pixel size known only roughly).",
            DefaultValueFactory = _ => RegistrationOptions.Default.MinimumScale,
        };
        var maxScale = new Option<double>("--max-scale")
        {
            Description = "Largest scale searched, relative to what the pixel sizes imply.",
            DefaultValueFactory = _ => RegistrationOptions.Default.MaximumScale,
        };
        var pixelRange = new Option<double[]>("--moving-pixel-um-range")
        {
            Description = "The moving image's true pixel size lies between these two values (µm): the scale range searched follows from them (instead of --min-scale/--max-scale).",
            AllowMultipleArgumentsPerToken = true,
            Arity = new ArgumentArity(2, 2),
        };
        var reference = new Option<FileInfo>("--reference") { Description = "Reference transform JSON: the result then reports the mean displacement error against it, in target pixels." }.AcceptExistingOnly();
        var output = new Option<FileInfo>("--out") { Description = "Result JSON to write.", Required = true };
        var overlay = new Option<FileInfo>("--overlay") { Description = "OME-TIFF to write: channel 'fixed' (the target around the footprint) and 'moving' (registered onto it)." };

        var command = new Command("register", "Register an IF prediction (or an EM micrograph through a 2D structure model) into a larger IF image.")
        {
            em, model, moving, target, targetChannel, movingPixel, targetPixel, minScale, maxScale, pixelRange, reference, output, overlay,
        };
        command.SetAction((parsed, cancellation) => VerbAction.RunAsync(() => Run(new Request(
            parsed.GetValue(em), parsed.GetValue(model), parsed.GetValue(moving), parsed.GetValue(target)!,
            parsed.GetValue(targetChannel), parsed.GetValue(movingPixel), parsed.GetValue(targetPixel), parsed.GetValue(minScale), parsed.GetValue(maxScale), parsed.GetValue(pixelRange),
            parsed.GetValue(reference), parsed.GetValue(output)!, parsed.GetValue(overlay)), cancellation), cancellation));
        return command;
    }

    private static int Run(Request request, CancellationToken cancellation)
    {
        var fromEm = CheckSources(request);
        var options = RegistrationOptions.Default with { MinimumScale = request.MinimumScale, MaximumScale = request.MaximumScale };
        var referenceTransform = request.Reference is null ? null : RegistrationJson.ReadTransform(request.Reference.FullName);
        var (fixedImage, fixedInfo) = Load(request.Target.FullName, request.TargetChannel, request.TargetPixelUm, "--target-pixel-um");
        var sourcePath = (fromEm ? request.Em! : request.Moving!).FullName;
        var (source, sourceInfo) = Load(sourcePath, null, request.MovingPixelUm, "--moving-pixel-um");
        if (request.MovingPixelRangeUm is [var smallest, var largest])
        {
            options = options.ScaleRangeBetween(Math.Min(smallest, largest), Math.Max(smallest, largest), source.PixelSizeUm);
        }

        double? predictionSeconds = null;
        var movingImage = source;
        if (fromEm)
        {
            (movingImage, predictionSeconds) = PredictFromEm(source, request.Model!.FullName, cancellation);
        }

        var result = EmToIfRegistration.Register(movingImage, fixedImage, options, cancellation);
        var report = RegistrationReport.Create(result, sourceInfo, fixedInfo, referenceTransform, predictionSeconds);
        WriteJson(report, request.Output.FullName);
        if (request.Overlay is not null && result.Transform is not null)
        {
            EnsureFolder(request.Overlay.FullName);
            OmeTiffWriter.Write(RegistrationOverlay.Create(movingImage, fixedImage, result.Transform), request.Overlay.FullName);
        }

        Console.WriteLine(Summary(result, report));
        return result.Outcome == RegistrationOutcome.Registered ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>METHOD §7 step 1: the 2D model on the EM (reflect-padded to its size step, predicted, cropped back), on the EM's grid.</summary>
    private static (CalibratedImage Prediction, double Seconds) PredictFromEm(CalibratedImage em, string modelPath, CancellationToken cancellation)
    {
        VerbCompute.Require(Environment.ProcessorCount, ComputePath.Float32Inference);
        using var predictor = new StructurePredictor(ModelBundle.Load(modelPath));
        if (predictor.Manifest.Network.Dimensions != 2)
        {
            throw new UsageException($"--model {modelPath} is a {predictor.Manifest.Network.Dimensions}D model; EM-to-IF registration needs a 2D one.");
        }

        var pixel = em.PixelSizeUm;
        var prediction = predictor.Predict(em.Image, new VoxelSize(pixel, pixel, pixel), cancellation);
        var seconds = (prediction.Preprocess + prediction.Inference + prediction.Restore).TotalSeconds;
        return (new CalibratedImage(prediction.Volume, pixel), seconds);
    }

    // True for the EM path; a UsageException unless exactly one complete source is given.
    private static bool CheckSources(Request request)
    {
        var fromEm = request.Em is not null || request.Model is not null;
        if (fromEm && request.Moving is not null)
        {
            throw new UsageException("give either --moving or --em with --model, not both.");
        }

        if (fromEm && (request.Em is null || request.Model is null))
        {
            throw new UsageException("--em and --model go together: the EM micrograph and the 2D model that predicts IF from it.");
        }

        if (!fromEm && request.Moving is null)
        {
            throw new UsageException("give the moving image: --moving PRED.tif, or --em EM.tif --model BUNDLE.");
        }

        if (request.MovingPixelUm is { } m && !(double.IsFinite(m) && m > 0) || request.TargetPixelUm is { } t && !(double.IsFinite(t) && t > 0))
        {
            throw new UsageException("pixel sizes must be positive numbers of micrometres.");
        }

        if (request.MovingPixelRangeUm is { } range && range.Any(p => !(double.IsFinite(p) && p > 0)))
        {
            throw new UsageException("--moving-pixel-um-range takes two positive pixel sizes in µm.");
        }

        if (!(request.MinimumScale is > 0.05 and < 20) || !(request.MaximumScale is > 0.05 and < 20) || request.MaximumScale < request.MinimumScale)
        {
            throw new UsageException($"--min-scale and --max-scale must satisfy 0.05 < min <= max < 20, got {request.MinimumScale} and {request.MaximumScale}.");
        }

        return fromEm;
    }

    private static (CalibratedImage Image, RegistrationReportImage Info) Load(string path, string? channel, double? pixelSizeUm, string pixelOption)
    {
        var stack = HyperstackFile.Read(path);
        if (stack.Frames != 1 || stack.Shape.Z != 1)
        {
            throw new ImageFileException(path, ImageProblem.UnsupportedFormat, FormattableString.Invariant(
                $"registration needs one 2D image, the file holds T = {stack.Frames}, Z = {stack.Shape.Z}."));
        }

        var index = ChannelChoice.Resolve(stack, channel, path);
        var pixel = pixelSizeUm ?? stack.VoxelSize?.X
            ?? throw new UsageException($"{path} records no pixel size: pass {pixelOption}.");
        var image = new CalibratedImage(stack[0, index], pixel);
        var channelName = stack.Channels > 1 ? stack.ChannelNames[index] : null;
        return (image, new RegistrationReportImage(path, image.Width, image.Height, pixel, channelName));
    }

    private static void WriteJson(RegistrationReport report, string path)
    {
        EnsureFolder(path);
        File.WriteAllText(path, JsonSerializer.Serialize(report, RegistrationReport.JsonOptions));
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
                $": scale {t.Scale:0.#####} (relative {t.RelativeScale:0.####}), rotation {t.RotationDegrees:0.###}°, translation ({t.TranslationX:0.##}, {t.TranslationY:0.##}) px, quality {result.Quality:0.###}, confidence {result.Confidence:0.##}");
        }

        if (report.ErrorVersusReferencePixels is { } error)
        {
            line += FormattableString.Invariant($", error vs reference {error:0.###} px");
        }

        if (report.PredictionSeconds is { } prediction)
        {
            line += FormattableString.Invariant($", prediction {prediction:0.##} s");
        }

        line += FormattableString.Invariant($", registration {result.Timings.TotalSeconds:0.##} s");
        return result.Reason is null ? line : $"{line} ({result.Reason})";
    }

    private sealed record Request(FileInfo? Em, DirectoryInfo? Model, FileInfo? Moving, FileInfo Target, string? TargetChannel,
        double? MovingPixelUm, double? TargetPixelUm, double MinimumScale, double MaximumScale, double[]? MovingPixelRangeUm, FileInfo? Reference, FileInfo Output, FileInfo? Overlay);
}
