using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The path of one stack: check the message, download and hash the input, answer from an existing
/// manifest when the same request was already done, decode, pick the transmitted-light channel, predict
/// every structure, check that the prediction is finite, score against ground truth when asked, encode
/// one OME-TIFF, upload it, write the manifest last. Bad input ends in a rejection (with a rejection
/// record); transient and other faults (a non-finite prediction among them) propagate to the consumer. Knows nothing about the broker: the consumer publishes what it returns.
/// </summary>
public sealed partial class StackJob
{
    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly IBlobStore _store;
    private readonly BlobLocationPolicy _policy;
    private readonly PredictionLayout _layout;
    private readonly ModelCatalog _catalog;
    private readonly WorkerOptions _options;
    private readonly WorkerTelemetry _telemetry;
    private readonly ILogger<StackJob> _logger;
    private readonly EmRegistrationJob _emRegistration;

    public StackJob(
        IBlobStore store,
        BlobLocationPolicy policy,
        PredictionLayout layout,
        ModelCatalog catalog,
        IOptions<WorkerOptions> options,
        WorkerTelemetry telemetry,
        EmRegistrationJob emRegistration,
        ILogger<StackJob> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _policy = policy;
        _layout = layout;
        _catalog = catalog;
        _options = options.Value;
        _telemetry = telemetry;
        _emRegistration = emRegistration;
        _logger = logger;
    }

    /// <summary>Processes one stack; a rejection is a normal outcome, not an exception.</summary>
    public async Task<StackOutcome> RunAsync(StackAcquired message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var request = StackRequest.Check(message, _policy, _catalog);

            // An EM stack with a reference IF image is registered against it; one without is predicted like any other.
            return message is { Modality: Modality.Em, ReferenceImage: not null }
                ? await _emRegistration.RunAsync(request, cancellationToken)
                : await PredictAsync(request, cancellationToken);
        }
        catch (Exception e) when (StackRejection.TryClassify(e, out var reason))
        {
            var rejected = new StackRejected
            {
                StackId = message.StackId ?? "",
                BatchId = message.BatchId ?? "",
                Reason = reason,
                Message = e.Message,
                RejectedAt = DateTimeOffset.UtcNow,
            };
            await RecordRejectionAsync(rejected, cancellationToken);
            Log.Rejected(_logger, rejected.BatchId, rejected.StackId, reason.ToString(), e.Message);
            return StackOutcome.Refused(rejected);
        }
    }

    private async Task<StackOutcome> PredictAsync(StackRequest request, CancellationToken cancellationToken)
    {
        var message = request.Message;
        var total = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();

        using var input = new MemoryStream();
        await _store.DownloadAsync(message.Input, input, cancellationToken);
        var inputSha256 = Convert.ToHexStringLower(SHA256.HashData(input.GetBuffer().AsSpan(0, (int)input.Length)));
        var download = Lap(stage, WorkerStage.Download);

        var models = request.Models.Select(m => m.Describe()).ToArray();
        var manifestLocation = _layout.Manifest(request.BatchId, request.StackId);
        var existing = await ReadManifestAsync(manifestLocation, cancellationToken);
        if (existing is not null)
        {
            return Reuse(existing, inputSha256, models, message);
        }

        input.Position = 0;
        var image = HyperstackFile.Read(input, message.Input.ToString(), ImageReadOptions.Default with
        {
            MaxVoxels = _options.Prediction.MaxInputVoxels,
            RejectNonFiniteValues = true,
        });
        var decode = Lap(stage, WorkerStage.Decode);

        var inputName = message.Input.ToString();
        var lightChannel = ChannelChoice.Resolve(image, message.TransmittedLightChannel.Index, message.TransmittedLightChannel.Name, $"{inputName} (transmitted-light channel)");
        var truthChannels = (message.GroundTruthChannels ?? new Dictionary<string, ChannelSelector>())
            .ToDictionary(p => p.Key, p => ChannelChoice.Resolve(image, p.Value.Index, p.Value.Name, $"{inputName} (ground-truth channel of {p.Key})"), StringComparer.OrdinalIgnoreCase);
        var light = image.SelectChannel(lightChannel);
        if (request.VoxelSizeOverride is { } overrideSize)
        {
            light = light.WithVoxelSize(overrideSize);
        }

        var prediction = await PredictStructuresAsync(request.Models, light, cancellationToken);
        stage.Restart();
        foreach (var (structure, elapsed) in prediction.InferenceByStructure)
        {
            _telemetry.RecordInference(structure, elapsed);
        }

        _telemetry.RecordStage(WorkerStage.Preprocess, prediction.Preprocess);
        var channels = Score(request.Models, prediction.Image, image, truthChannels);

        using var encoded = new MemoryStream();
        OmeTiffWriter.Write(prediction.Image, encoded, OmeTiffWriteOptions.Default with { ImageName = $"{request.BatchId}/{request.StackId}" },
            PredictionLayout.PredictionFileName);
        var outputSha256 = Convert.ToHexStringLower(SHA256.HashData(encoded.GetBuffer().AsSpan(0, (int)encoded.Length)));
        var encode = Lap(stage, WorkerStage.Encode);

        // Look again just before writing: a duplicate delivered to another worker may have finished meanwhile,
        // and its manifest describes the prediction file as it wrote it.
        existing = await ReadManifestAsync(manifestLocation, cancellationToken);
        if (existing is not null)
        {
            return Reuse(existing, inputSha256, models, message);
        }

        var outputLocation = _layout.Prediction(request.BatchId, request.StackId);
        encoded.Position = 0;
        await _store.UploadAsync(outputLocation, encoded, "image/tiff", overwrite: true, cancellationToken: cancellationToken);
        var uploadBeforeManifest = stage.Elapsed;

        var timings = new StageTimings
        {
            DownloadSeconds = download.TotalSeconds,
            DecodeSeconds = decode.TotalSeconds,
            PreprocessSeconds = prediction.Preprocess.TotalSeconds,
            InferenceSeconds = prediction.InferenceByStructure.ToDictionary(p => p.Key, p => p.Value.TotalSeconds),
            EncodeSeconds = encode.TotalSeconds,
            UploadSeconds = uploadBeforeManifest.TotalSeconds,
            TotalSeconds = total.Elapsed.TotalSeconds,
        };
        var manifest = new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion,
            StackId = request.StackId,
            BatchId = request.BatchId,
            Modality = message.Modality,
            Input = new ManifestInput(message.Input, inputSha256, input.Length, ShapeOf(image.Shape), SizeOf(image.VoxelSize),
                lightChannel, image.ChannelNames[lightChannel]),
            RequestedTransmittedLightChannel = message.TransmittedLightChannel,
            VoxelSizeOverride = message.VoxelSizeOverride,
            Output = new ManifestOutput(outputLocation, outputSha256, encoded.Length, ShapeOf(prediction.Image.Shape)),
            Models = models,
            Channels = channels,
            Timings = timings,
            WorkerHost = Environment.MachineName,
            Compute = ComputeRecord.Current,
            CreatedAt = DateTimeOffset.UtcNow,
            Metadata = message.Metadata,
        };

        var created = await _store.TryCreateAsync(manifestLocation, manifest.ToJsonBytes(), "application/json", cancellationToken: cancellationToken);
        if (!created)
        {
            // Either an earlier attempt of this very call created it (a retried request), or a duplicate won the race.
            var stored = await ReadManifestAsync(manifestLocation, cancellationToken)
                ?? throw new InvalidOperationException($"Manifest {manifestLocation} was reported to exist but cannot be read.");
            if (stored.Output.Sha256 != outputSha256 || stored.Input.Sha256 != inputSha256)
            {
                return Reuse(stored, inputSha256, models, message);
            }

            manifest = stored;
        }

        var upload = Lap(stage, WorkerStage.Upload);
        var predicted = Event(manifest, reused: false) with
        {
            Timings = manifest.Timings with { UploadSeconds = upload.TotalSeconds, TotalSeconds = total.Elapsed.TotalSeconds },
        };
        _telemetry.RecordThroughput(light.Shape.VoxelCount, total.Elapsed);
        Log.Predicted(_logger, request.BatchId, request.StackId, string.Join(", ", models.Select(m => m.ModelId)), total.Elapsed.TotalSeconds);
        return StackOutcome.Done(predicted, computed: true);
    }

    private StackOutcome Reuse(StackManifest existing, string inputSha256, IReadOnlyList<ManifestModel> models, StackAcquired message)
    {
        if (!existing.Matches(inputSha256, models, message))
        {
            // Never two different outputs for one stack id: the first result stays, the new request is refused.
            throw new StackRejectedException(RejectionReason.InvalidMessage,
                $"Stack {message.BatchId}/{message.StackId} already has a result from a different request ({existing.Difference(inputSha256, models, message)}); " +
                "send the new acquisition under a new stack id.");
        }

        Log.Reused(_logger, message.BatchId, message.StackId);
        return StackOutcome.Done(Event(existing, reused: true), computed: false);
    }

    private async Task<IntegratedPrediction> PredictStructuresAsync(
        IReadOnlyList<LoadedStructureModel> models, Hyperstack light, CancellationToken cancellationToken)
    {
        var predictor = new IntegratedPredictor(models.Select(m => m.Predictor).ToArray());
        return await _catalog.Compute.RunAsync(() => predictor.Predict(light, cancellationToken), cancellationToken);
    }

    // Pearson r per structure against its ground-truth channel: the mean of the per-time-point r values
    // (each time point is its own acquisition, normalised on its own); null when none is defined.
    private IReadOnlyList<PredictedChannel> Score(
        IReadOnlyList<LoadedStructureModel> models, Hyperstack prediction, Hyperstack input, IReadOnlyDictionary<string, int> truthChannels)
    {
        var channels = new List<PredictedChannel>();
        for (var c = 0; c < models.Count; c++)
        {
            var model = models[c];
            double? r = null;
            if (truthChannels.TryGetValue(model.Structure, out var truth))
            {
                var values = Enumerable.Range(0, prediction.Frames)
                    .Select(t => PearsonCorrelation.Between(prediction[t, c], input[t, truth]).R)
                    .Where(value => value.HasValue)
                    .Select(value => value!.Value)
                    .ToArray();
                r = values.Length > 0 ? values.Average() : null;
                if (r is { } score)
                {
                    _telemetry.RecordPearsonR(model.Structure, score);
                }
            }

            channels.Add(new PredictedChannel
            {
                Index = c,
                Structure = model.Structure,
                ModelId = model.ModelId,
                WeightsSha256 = model.WeightsSha256,
                PearsonR = r,
            });
        }

        return channels;
    }

    private async Task<StackManifest?> ReadManifestAsync(BlobLocation location, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await _store.ReadAllBytesAsync(location, cancellationToken);
            return StackManifest.Parse(bytes, location.ToString());
        }
        catch (BlobNotFoundException)
        {
            return null;
        }
    }

    private async Task RecordRejectionAsync(StackRejected rejected, CancellationToken cancellationToken)
    {
        // Without usable ids there is no folder to write into; the event alone reports it.
        if (!PredictionLayout.IsValidIdentifier(rejected.BatchId) || !PredictionLayout.IsValidIdentifier(rejected.StackId))
        {
            return;
        }

        var location = _layout.Rejection(rejected.BatchId, rejected.StackId);

        // A rejection record is never replaced: the first one stays (a stack id with a result is refused without one).
        if (rejected.Reason == RejectionReason.InvalidMessage && await _store.ExistsAsync(_layout.Manifest(rejected.BatchId, rejected.StackId), cancellationToken))
        {
            return;
        }

        await _store.TryCreateAsync(location, JsonSerializer.SerializeToUtf8Bytes(rejected, RecordJson), "application/json",
            cancellationToken: cancellationToken);
    }

    private static StackPredicted Event(StackManifest manifest, bool reused) => new()
    {
        StackId = manifest.StackId,
        BatchId = manifest.BatchId,
        Output = manifest.Output.Location,
        Manifest = new BlobLocation
        {
            Container = manifest.Output.Location.Container,
            Name = manifest.Output.Location.Name[..(manifest.Output.Location.Name.LastIndexOf('/') + 1)] + PredictionLayout.ManifestFileName,
        },
        Channels = manifest.Channels,
        Timings = manifest.Timings,
        InputShape = manifest.Input.Shape,
        OutputShape = manifest.Output.Shape,
        WorkerHost = manifest.WorkerHost,
        Reused = reused,
        CompletedAt = manifest.CreatedAt,
    };

    private TimeSpan Lap(Stopwatch stage, WorkerStage name)
    {
        var elapsed = stage.Elapsed;
        _telemetry.RecordStage(name, elapsed);
        stage.Restart();
        return elapsed;
    }

    internal static ImageShape ShapeOf(HyperstackShape shape) => new() { T = shape.T, C = shape.C, Z = shape.Z, Y = shape.Y, X = shape.X };

    internal static VoxelSizeMicrometres? SizeOf(VoxelSize? size) =>
        size is { } v ? new VoxelSizeMicrometres { Z = v.Z, Y = v.Y, X = v.X } : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Stack {BatchId}/{StackId} predicted with {Models} in {Seconds:0.00} s")]
        public static partial void Predicted(ILogger logger, string batchId, string stackId, string models, double seconds);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Stack {BatchId}/{StackId} already done: republishing its result")]
        public static partial void Reused(ILogger logger, string batchId, string stackId);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "Stack {BatchId}/{StackId} rejected ({Reason}): {Explanation}")]
        public static partial void Rejected(ILogger logger, string batchId, string stackId, string reason, string explanation);
    }
}
