using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;
using LabelFree.Worker.Cli;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PipelineOutcome = LabelFree.Pipeline.Registration.RegistrationOutcome;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The path of an EM stack with a reference IF image (METHOD §7): download both, answer from an existing manifest
/// when the same request was already done, decode the EM (one 2D plane) and the reference (its first channel),
/// predict IF from the EM with the stack's 2D structure model, check it is finite, register it into the reference, upload
/// prediction.ome.tiff, overlay.ome.tiff (when a transform was found) and registration.json, write the manifest
/// last, and return <see cref="EmRegistered"/>. Every registration outcome, InsufficientContent and NotConverged
/// included, is a result; bad input throws the typed exceptions <see cref="StackJob"/> turns into rejections.
/// </summary>
public sealed partial class EmRegistrationJob
{
    /// <summary>The registration result document next to the prediction.</summary>
    public const string RegistrationFileName = "registration.json";

    /// <summary>The two-channel overlay (reference, warped prediction) next to the prediction.</summary>
    public const string OverlayFileName = "overlay.ome.tiff";

    private readonly IBlobStore _store;
    private readonly PredictionLayout _layout;
    private readonly ModelCatalog _catalog;
    private readonly WorkerOptions _options;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<EmRegistrationJob> _logger;

    public EmRegistrationJob(
        IBlobStore store,
        PredictionLayout layout,
        ModelCatalog catalog,
        IOptions<WorkerOptions> options,
        WorkerTelemetry telemetry,
        ILogger<EmRegistrationJob> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _layout = layout;
        _catalog = catalog;
        _options = options.Value;
        _telemetry = telemetry;
        _logger = logger;
    }

    /// <summary>
    /// Registers a predicted IF image into the reference IF image and draws the overlay: the step after prediction,
    /// separate so it can be checked on its own with an image whose answer is known.
    /// </summary>
    public static EmRegistrationStep Register(CalibratedImage prediction, CalibratedImage reference, CancellationToken cancellationToken)
    {
        var result = EmToIfRegistration.Register(prediction, reference, RegistrationOptions.Default, cancellationToken);
        var overlay = result.Transform is { } transform ? RegistrationOverlay.Create(prediction, reference, transform) : null;
        return new EmRegistrationStep(result, overlay);
    }

    /// <summary>Processes one EM stack whose message names a reference image.</summary>
    public async Task<StackOutcome> RunAsync(StackRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = request.Message;
        var referenceLocation = message.ReferenceImage
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage, "An EM registration needs referenceImage.");

        // Registration places one predicted image: the first selected model (name it in structures to choose).
        var model = request.Models[0];
        if (model.Predictor.Manifest.Network.Dimensions != 2)
        {
            throw new StackRejectedException(RejectionReason.UnknownStructure,
                $"Model {model.ModelId} for {message.Modality} is {model.Predictor.Manifest.Network.Dimensions}D; registering an EM image needs a 2D model.");
        }

        var total = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        using var input = await DownloadAsync(message.Input, cancellationToken);
        using var referenceBytes = await DownloadAsync(referenceLocation, cancellationToken);
        var inputSha256 = Sha256(input);
        var referenceSha256 = Sha256(referenceBytes);
        var download = Lap(stage, WorkerStage.Download);

        var models = new[] { model.Describe() };
        var manifestLocation = _layout.Manifest(request.BatchId, request.StackId);
        var existing = await ReadManifestAsync(manifestLocation, cancellationToken);
        if (existing is not null)
        {
            return Reuse(existing, inputSha256, referenceSha256, models, message);
        }

        var readOptions = ImageReadOptions.Default with { MaxVoxels = _options.Prediction.MaxInputVoxels, RejectNonFiniteValues = true };
        var inputName = message.Input.ToString();
        var emStack = HyperstackFile.Read(input, inputName, readOptions);
        var emChannel = ChannelChoice.Resolve(emStack, message.TransmittedLightChannel.Index, message.TransmittedLightChannel.Name, $"{inputName} (EM channel)");
        var emPixel = message.VoxelSizeOverride?.X ?? emStack.VoxelSize?.X
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"{inputName} records no pixel size: send voxelSizeOverride (its x is the EM pixel size in µm).");
        var em = new CalibratedImage(SinglePlane(emStack, emChannel, inputName), emPixel);

        var referenceName = referenceLocation.ToString();
        var referenceStack = HyperstackFile.Read(referenceBytes, referenceName, readOptions);
        var referencePixel = message.ReferencePixelSizeMicrometres ?? referenceStack.VoxelSize?.X
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"{referenceName} records no pixel size: send referencePixelSizeMicrometres.");
        var reference = new CalibratedImage(SinglePlane(referenceStack, 0, referenceName), referencePixel);
        var decode = Lap(stage, WorkerStage.Decode);

        var (prediction, step) = await _catalog.Compute.RunAsync(() =>
        {
            var predicted = model.Predictor.Predict(em.Image, new VoxelSize(emPixel, emPixel, emPixel), cancellationToken);
            var moving = new CalibratedImage(predicted.Volume, emPixel);
            return (predicted, Register(moving, reference, cancellationToken));
        }, cancellationToken);
        var inference = prediction.Inference + prediction.Restore;
        _telemetry.RecordStage(WorkerStage.Preprocess, prediction.Preprocess);
        _telemetry.RecordInference(model.Structure, inference);
        stage.Restart();

        var result = step.Result;
        var predictionImage = Hyperstack.FromVolume(prediction.Volume, new VoxelSize(emPixel, emPixel, emPixel), model.Structure);
        var imageName = $"{request.BatchId}/{request.StackId}";
        using var encodedPrediction = Encode(predictionImage, imageName, PredictionLayout.PredictionFileName);
        using var encodedOverlay = step.Overlay is null ? null : Encode(step.Overlay, imageName, OverlayFileName);
        var report = RegistrationReport.Create(result,
            new RegistrationReportImage(inputName, em.Width, em.Height, emPixel, emStack.Channels > 1 ? emStack.ChannelNames[emChannel] : null),
            new RegistrationReportImage(referenceName, reference.Width, reference.Height, referencePixel, referenceStack.Channels > 1 ? referenceStack.ChannelNames[0] : null),
            predictionSeconds: (prediction.Preprocess + inference).TotalSeconds);
        // The same document `labelfree register --out` writes, so one reader serves both.
        var reportBytes = JsonSerializer.SerializeToUtf8Bytes(report, CliJson.Options);
        var encode = Lap(stage, WorkerStage.Encode);

        // Look again just before writing: a duplicate delivered to another worker may have finished meanwhile.
        existing = await ReadManifestAsync(manifestLocation, cancellationToken);
        if (existing is not null)
        {
            return Reuse(existing, inputSha256, referenceSha256, models, message);
        }

        var predictionLocation = _layout.Prediction(request.BatchId, request.StackId);
        var overlayLocation = encodedOverlay is null ? null : _layout.StackFile(request.BatchId, request.StackId, OverlayFileName);
        var reportLocation = _layout.StackFile(request.BatchId, request.StackId, RegistrationFileName);
        await _store.UploadAsync(predictionLocation, encodedPrediction, "image/tiff", overwrite: true, cancellationToken: cancellationToken);
        if (overlayLocation is not null)
        {
            await _store.UploadAsync(overlayLocation, encodedOverlay!, "image/tiff", overwrite: true, cancellationToken: cancellationToken);
        }

        using (var reportStream = new MemoryStream(reportBytes))
        {
            await _store.UploadAsync(reportLocation, reportStream, "application/json", overwrite: true, cancellationToken: cancellationToken);
        }

        var timings = new StageTimings
        {
            DownloadSeconds = download.TotalSeconds,
            DecodeSeconds = decode.TotalSeconds,
            PreprocessSeconds = prediction.Preprocess.TotalSeconds,
            InferenceSeconds = new Dictionary<string, double> { [model.Structure] = inference.TotalSeconds },
            EncodeSeconds = encode.TotalSeconds,
            UploadSeconds = stage.Elapsed.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
        var registered = Event(request, result, timings) with
        {
            Prediction = predictionLocation,
            Overlay = overlayLocation,
            Result = reportLocation,
            Manifest = manifestLocation,
        };
        var manifest = new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion,
            StackId = request.StackId,
            BatchId = request.BatchId,
            Modality = message.Modality,
            Input = new ManifestInput(message.Input, inputSha256, input.Length, StackJob.ShapeOf(emStack.Shape), StackJob.SizeOf(emStack.VoxelSize),
                emChannel, emStack.ChannelNames[emChannel]),
            RequestedTransmittedLightChannel = message.TransmittedLightChannel,
            VoxelSizeOverride = message.VoxelSizeOverride,
            Output = new ManifestOutput(predictionLocation, Sha256(encodedPrediction), encodedPrediction.Length, StackJob.ShapeOf(predictionImage.Shape)),
            Models = models,
            Channels = [new PredictedChannel { Index = 0, Structure = model.Structure, ModelId = model.ModelId, WeightsSha256 = model.WeightsSha256 }],
            Timings = timings,
            WorkerHost = Environment.MachineName,
            Compute = ComputeRecord.Current,
            CreatedAt = registered.RegisteredAt,
            Metadata = message.Metadata,
            Reference = new ManifestReference(referenceLocation, referenceSha256, referenceBytes.Length, reference.Width, reference.Height, referencePixel),
            Registration = registered,
        };

        var created = await _store.TryCreateAsync(manifestLocation, manifest.ToJsonBytes(), "application/json", cancellationToken: cancellationToken);
        if (!created)
        {
            // An earlier attempt of this call created it, or a duplicate won the race: either way the stored one is the answer.
            var stored = await ReadManifestAsync(manifestLocation, cancellationToken)
                ?? throw new InvalidOperationException($"Manifest {manifestLocation} was reported to exist but cannot be read.");
            return Reuse(stored, inputSha256, referenceSha256, models, message);
        }

        _telemetry.RecordStage(WorkerStage.Upload, stage.Elapsed);
        Log.Registered(_logger, request.BatchId, request.StackId, result.Outcome.ToString(), result.Quality ?? double.NaN, total.Elapsed.TotalSeconds);
        return StackOutcome.DoneRegistration(registered, computed: true);
    }

    private StackOutcome Reuse(StackManifest existing, string inputSha256, string referenceSha256, IReadOnlyList<ManifestModel> models, StackAcquired message)
    {
        var sameReference = existing.Reference is { } reference && string.Equals(reference.Sha256, referenceSha256, StringComparison.Ordinal);
        if (existing.Registration is not { } registration || !sameReference || !existing.Matches(inputSha256, models, message))
        {
            var difference = existing.Registration is null ? "it was not a registration"
                : !sameReference ? $"reference SHA-256 {existing.Reference?.Sha256} (now {referenceSha256})"
                : existing.Difference(inputSha256, models, message);
            throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"Stack {message.BatchId}/{message.StackId} already has a result from a different request ({difference}); " +
                "send the new acquisition under a new stack id.");
        }

        Log.Reused(_logger, message.BatchId, message.StackId);
        return StackOutcome.DoneRegistration(registration with { Reused = true }, computed: false);
    }

    private static EmRegistered Event(StackRequest request, RegistrationResult result, StageTimings timings)
    {
        var transform = result.Transform;
        var matrix = transform?.MovingToFixed;
        return new EmRegistered
        {
            StackId = request.StackId,
            BatchId = request.BatchId,
            Outcome = result.Outcome switch
            {
                PipelineOutcome.Registered => Messages.RegistrationOutcome.Registered,
                PipelineOutcome.InsufficientContent => Messages.RegistrationOutcome.InsufficientContent,
                _ => Messages.RegistrationOutcome.NotConverged,
            },
            Converged = result.Converged,
            Transform = matrix is { } m ? new Messages.AffineTransform2D { M00 = m.M00, M01 = m.M01, M02 = m.M02, M10 = m.M10, M11 = m.M11, M12 = m.M12 } : null,
            Scale = transform?.Scale ?? 0,
            RotationDegrees = transform?.RotationDegrees ?? 0,
            TranslationX = transform?.TranslationX ?? 0,
            TranslationY = transform?.TranslationY ?? 0,
            Quality = result.Quality,
            Confidence = result.Confidence,
            ContentFraction = result.ContentFraction,
            Timings = timings,
            RegistrationSeconds = result.Timings.TotalSeconds,
            WorkerHost = Environment.MachineName,
            RegisteredAt = DateTimeOffset.UtcNow,
        };
    }

    // Registration works on one 2D image per side; a time series or a z-stack is refused rather than guessed at.
    private static Volume SinglePlane(Hyperstack stack, int channel, string name)
    {
        if (stack.Frames != 1 || stack.Shape.Z != 1)
        {
            throw new ImageFileException(name, ImageProblem.UnsupportedFormat, FormattableString.Invariant(
                $"EM registration needs one 2D image, the file holds T = {stack.Frames}, Z = {stack.Shape.Z}."));
        }

        return stack[0, channel];
    }

    private async Task<MemoryStream> DownloadAsync(BlobLocation location, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await _store.DownloadAsync(location, buffer, cancellationToken);
        buffer.Position = 0;
        return buffer;
    }

    private static MemoryStream Encode(Hyperstack image, string imageName, string fileName)
    {
        var encoded = new MemoryStream();
        OmeTiffWriter.Write(image, encoded, OmeTiffWriteOptions.Default with { ImageName = imageName }, fileName);
        encoded.Position = 0;
        return encoded;
    }

    private static string Sha256(MemoryStream buffer) =>
        Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));

    private async Task<StackManifest?> ReadManifestAsync(BlobLocation location, CancellationToken cancellationToken)
    {
        try
        {
            return StackManifest.Parse(await _store.ReadAllBytesAsync(location, cancellationToken), location.ToString());
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    private TimeSpan Lap(Stopwatch stage, WorkerStage name)
    {
        var elapsed = stage.Elapsed;
        _telemetry.RecordStage(name, elapsed);
        stage.Restart();
        return elapsed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "EM stack {BatchId}/{StackId}: {Outcome} (quality {Quality:0.###}) in {Seconds:0.00} s")]
        public static partial void Registered(ILogger logger, string batchId, string stackId, string outcome, double quality, double seconds);

        [LoggerMessage(EventId = 4012, Level = LogLevel.Information, Message = "EM stack {BatchId}/{StackId} already registered: republishing its result")]
        public static partial void Reused(ILogger logger, string batchId, string stackId);
    }
}
