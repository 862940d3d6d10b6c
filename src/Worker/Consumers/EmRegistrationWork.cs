using System.Diagnostics;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Pipeline.Registration;
using LabelFree.Worker.Consumers.Protocol;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using PipelineOutcome = LabelFree.Pipeline.Registration.RegistrationOutcome;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The computation of an EM stack with a reference IF image (METHOD §7): decode the EM (one 2D plane) and the
/// reference (its first channel), predict IF from the EM with the stack's 2D structure model, check it is finite,
/// register it into the reference, and encode prediction.ome.tiff, overlay.ome.tiff (when a transform was found)
/// and registration.json. Every registration outcome, InsufficientContent and NotConverged included, is a result;
/// bad input throws the typed exceptions <see cref="StackJob"/> turns into rejections.
/// </summary>
public sealed class EmRegistrationWork : IStackWork
{
    /// <summary>The registration result document next to the prediction.</summary>
    public const string RegistrationFileName = "registration.json";

    /// <summary>The two-channel overlay (reference, warped prediction) next to the prediction.</summary>
    public const string OverlayFileName = "overlay.ome.tiff";

    private readonly StackRequest _request;
    private readonly LoadedStructureModel _model;
    private readonly BlobLocation _reference;
    private readonly ModelCatalog _catalog;
    private readonly WorkerOptions _options;
    private readonly WorkerTelemetry _telemetry;

    public EmRegistrationWork(StackRequest request, ModelCatalog catalog, WorkerOptions options, WorkerTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _catalog = catalog;
        _options = options;
        _telemetry = telemetry;
        _reference = request.Message.ReferenceImage
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage, "An EM registration needs referenceImage.");

        // Registration places one predicted image: the first selected model (name it in structures to choose).
        _model = request.Models[0];
        if (_model.Predictor.Manifest.Network.Dimensions != 2)
        {
            throw new StackRejectedException(RejectionReason.UnknownStructure,
                $"Model {_model.ModelId} for {request.Message.Modality} is {_model.Predictor.Manifest.Network.Dimensions}D; registering an EM image needs a 2D model.");
        }
    }

    public IReadOnlyList<BlobLocation> Inputs => [_request.Message.Input, _reference];

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

    public string? Conflict(StackManifest existing, IReadOnlyList<DownloadedInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(inputs);
        var models = new[] { _model.Describe() };
        var referenceSha256 = inputs[1].Sha256;
        var sameReference = existing.Reference is { } reference && string.Equals(reference.Sha256, referenceSha256, StringComparison.Ordinal);
        return existing.Registration is null ? "it was not a registration"
            : !sameReference ? $"reference SHA-256 {existing.Reference?.Sha256} (now {referenceSha256})"
            : existing.Matches(inputs[0].Sha256, models, _request.Message) ? null
            : existing.Difference(inputs[0].Sha256, models, _request.Message);
    }

    public async Task<ComputedStack> ComputeAsync(IReadOnlyList<DownloadedInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var message = _request.Message;
        var stage = Stopwatch.StartNew();
        var readOptions = ImageReadOptions.Default with { MaxVoxels = _options.PredictionCapacity.MaxInputVoxels, RejectNonFiniteValues = true };
        var inputName = message.Input.ToString();
        var emStack = HyperstackFile.Read(new MemoryStream(inputs[0].Bytes, writable: false), inputName, readOptions);
        var emChannel = ChannelChoice.Resolve(emStack, message.TransmittedLightChannel.Index, message.TransmittedLightChannel.Name, $"{inputName} (EM channel)");
        var emPixel = message.VoxelSizeOverride?.X ?? emStack.VoxelSize?.X
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"{inputName} records no pixel size: send voxelSizeOverride (its x is the EM pixel size in µm).");
        var em = new CalibratedImage(SinglePlane(emStack, emChannel, inputName), emPixel);

        var referenceName = _reference.ToString();
        var referenceStack = HyperstackFile.Read(new MemoryStream(inputs[1].Bytes, writable: false), referenceName, readOptions);
        var referencePixel = message.ReferencePixelSizeMicrometres ?? referenceStack.VoxelSize?.X
            ?? throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"{referenceName} records no pixel size: send referencePixelSizeMicrometres.");
        var reference = new CalibratedImage(SinglePlane(referenceStack, 0, referenceName), referencePixel);
        var decode = stage.Elapsed;
        _telemetry.RecordStage(WorkerStage.Decode, decode);

        // Both resamplings are bounded before anything is computed: to the model's pixel size here, to the
        // reference's pixel size inside the registration.
        ModelGridLimit.Check(em.Image.Shape, new VoxelSize(emPixel, emPixel, emPixel), _model.Predictor.Grid, _options.PredictionCapacity.MaxInputVoxels, inputName);
        var (prediction, step) = await _catalog.Compute.RunAsync(() =>
        {
            var predicted = _model.Predictor.Predict(em.Image, new VoxelSize(emPixel, emPixel, emPixel), cancellationToken);
            var moving = new CalibratedImage(predicted.Volume, emPixel);
            return (predicted, Register(moving, reference, cancellationToken));
        }, cancellationToken);
        var inference = prediction.Inference + prediction.Restore;
        _telemetry.RecordStage(WorkerStage.Preprocess, prediction.Preprocess);
        _telemetry.RecordInference(_model.Structure, inference);
        stage.Restart();

        var result = step.Result;
        var predictionImage = Hyperstack.FromVolume(prediction.Volume, new VoxelSize(emPixel, emPixel, emPixel), _model.Structure);
        var imageName = $"{_request.BatchId}/{_request.StackId}";
        var report = RegistrationReport.Create(result,
            new RegistrationReportImage(inputName, em.Width, em.Height, emPixel, emStack.Channels > 1 ? emStack.ChannelNames[emChannel] : null),
            new RegistrationReportImage(referenceName, reference.Width, reference.Height, referencePixel, referenceStack.Channels > 1 ? referenceStack.ChannelNames[0] : null),
            predictionSeconds: (prediction.Preprocess + inference).TotalSeconds);
        var outputs = new List<StackOutput>
        {
            FileOutput.OmeTiff(predictionImage, imageName, PredictionLayout.PredictionFileName),

            // The same document `labelfree register --out` writes, so one reader serves both.
            new FileOutput(RegistrationFileName, JsonSerializer.SerializeToUtf8Bytes(report, RegistrationReport.JsonOptions), "application/json"),
        };
        if (step.Overlay is { } overlay)
        {
            outputs.Add(FileOutput.OmeTiff(overlay, imageName, OverlayFileName));
        }

        var encode = stage.Elapsed;
        _telemetry.RecordStage(WorkerStage.Encode, encode);
        var timings = ComputedStack.ComputationTimings(decode, prediction.Preprocess, new Dictionary<string, TimeSpan> { [_model.Structure] = inference }, encode);
        return new ComputedStack(outputs, timings, commit => Manifest(commit, inputs, emStack, emChannel, reference, referencePixel, predictionImage, result));
    }

    private StackManifest Manifest(StackCommit commit, IReadOnlyList<DownloadedInput> inputs, Hyperstack emStack, int emChannel,
        CalibratedImage reference, double referencePixel, Hyperstack predictionImage, RegistrationResult result)
    {
        var message = _request.Message;
        var prediction = commit.Outputs[0];
        var registered = Event(result, commit) with
        {
            Prediction = prediction.Location,
            Result = commit.Outputs[1].Location,
            Overlay = commit.Outputs.Count > 2 ? commit.Outputs[2].Location : null,
            Manifest = commit.ManifestLocation,
        };
        return new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion,
            StackId = _request.StackId,
            BatchId = _request.BatchId,
            Modality = message.Modality,
            Input = new ManifestInput(message.Input, inputs[0].Sha256, inputs[0].Bytes.Length, ManifestShapes.Of(emStack.Shape), ManifestShapes.Of(emStack.VoxelSize),
                emChannel, emStack.ChannelNames[emChannel]),
            RequestedTransmittedLightChannel = message.TransmittedLightChannel,
            VoxelSizeOverride = message.VoxelSizeOverride,
            Output = new ManifestOutput(prediction.Location, prediction.Sha256, prediction.Bytes, ManifestShapes.Of(predictionImage.Shape)),
            Models = [_model.Describe()],
            Channels = [new PredictedChannel { Index = 0, Structure = _model.Structure, ModelId = _model.ModelId, WeightsSha256 = _model.WeightsSha256 }],
            Timings = commit.Timings,
            WorkerHost = Environment.MachineName,
            Compute = ComputeRecord.Current,
            CreatedAt = commit.CommittedAt,
            Metadata = message.Metadata,
            Reference = new ManifestReference(_reference, inputs[1].Sha256, inputs[1].Bytes.Length, reference.Width, reference.Height, referencePixel),
            Registration = registered,
        };
    }

    private EmRegistered Event(RegistrationResult result, StackCommit commit)
    {
        var transform = result.Transform;
        var matrix = transform?.MovingToFixed;
        return new EmRegistered
        {
            StackId = _request.StackId,
            BatchId = _request.BatchId,
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
            Timings = commit.Timings,
            RegistrationSeconds = result.Timings.TotalSeconds,
            WorkerHost = Environment.MachineName,
            RegisteredAt = commit.CommittedAt,
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
}
