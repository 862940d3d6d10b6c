using System.Diagnostics;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The configured structure models, loaded once when the worker starts: each bundle (model.json and its
/// weights) is copied from the model store to a local folder, its SHA-256 checked by
/// <see cref="ModelBundle.Load"/>, and one tiny volume predicted to warm it up. Registered as a hosted
/// service ahead of the message bus, so the bus (and with it consumption) starts only once every model
/// is ready; /readyz turns healthy at the same moment. A model that cannot be loaded, or whose warm-up
/// prediction is not finite, stops the start with a message naming it.
/// </summary>
public sealed partial class ModelCatalog : IHostedService, IDisposable
{
    private readonly WorkerOptions _options;
    private readonly IBlobStore _store;
    private readonly WorkerTelemetry _telemetry;
    private readonly ModelReadiness _readiness;
    private readonly ILogger<ModelCatalog> _logger;
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _cacheFolder = Path.Combine(Path.GetTempPath(), "labelfree-models", $"{Environment.ProcessId}-{Guid.NewGuid():N}");
    private IReadOnlyList<LoadedStructureModel> _models = [];
    private int _disposed;

    public ModelCatalog(IOptions<WorkerOptions> options, IBlobStore store, WorkerTelemetry telemetry, ModelReadiness readiness, ILogger<ModelCatalog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _store = store;
        _telemetry = telemetry;
        _readiness = readiness;
        _logger = logger;
    }

    /// <summary>Completes when every model is loaded; faults when one could not be.</summary>
    public Task WhenLoaded => _loaded.Task;

    /// <summary>Every loaded model (empty before loading finished).</summary>
    public IReadOnlyList<LoadedStructureModel> Models => _models;

    /// <summary>The one thread every model computation runs on (warm-up included).</summary>
    public ComputeThread Compute { get; } = new("labelfree-compute");

    /// <summary>The models for one modality, in configuration order.</summary>
    public IReadOnlyList<LoadedStructureModel> ForModality(Modality modality) =>
        _models.Where(m => m.Modality == modality).ToArray();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var loaded = new List<LoadedStructureModel>();
            foreach (var configured in _options.Models)
            {
                loaded.Add(await LoadAsync(configured, cancellationToken));
            }

            _models = loaded;
            _readiness.MarkLoaded(loaded.Select(m => m.ModelId));
            Log.AllLoaded(_logger, loaded.Count, string.Join(", ", loaded.Select(m => $"{m.ModelId} ({m.Modality})")));
            _loaded.TrySetResult();
        }
        catch (Exception e)
        {
            _loaded.TrySetException(e);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Registered both as itself and as a hosted service, so the container may dispose it twice.
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // The compute thread first: it finishes (or, cancelled, abandons) the forward pass it is running, and
        // only then may the networks it uses be freed. At shutdown the host disposes services right after its
        // grace period, possibly while a cancelled stack is still between two tiles.
        Compute.Dispose();
        foreach (var model in _models)
        {
            model.Predictor.Dispose();
        }

        _models = [];
        if (Directory.Exists(_cacheFolder))
        {
            Directory.Delete(_cacheFolder, recursive: true);
        }
    }

    private async Task<LoadedStructureModel> LoadAsync(StructureModelOptions configured, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var container = configured.Location.Container ?? _options.Storage.ModelContainer;
        var prefix = configured.Location.Prefix;
        var modelId = prefix[PredictionLayout.ModelsPrefix.Length..].TrimEnd('/');
        var folder = Path.Combine(_cacheFolder, modelId.Replace('/', '_'));
        Directory.CreateDirectory(folder);
        ModelBundle bundle;
        try
        {
            await FetchAsync(container, prefix + ModelBundle.ManifestFileName, Path.Combine(folder, ModelBundle.ManifestFileName), cancellationToken);
            var weightsFile = ModelBundle.ReadManifest(folder).Weights!.File;
            await FetchAsync(container, prefix + weightsFile, Path.Combine(folder, weightsFile), cancellationToken);
            bundle = ModelBundle.Load(folder);
        }
        catch (Exception e) when (e is ModelBundleException or BlobNotFoundException or LocationNotAllowedException or StorageUnavailableException)
        {
            throw new ModelLoadException(
                $"Model '{configured.Structure}' ({configured.Modality}) could not be loaded from {container}/{prefix}: {e.Message}", e);
        }

        if (!string.Equals(bundle.Manifest.Structure, configured.Structure, StringComparison.Ordinal))
        {
            var found = bundle.Manifest.Structure;
            bundle.Dispose();
            throw new ModelLoadException(
                $"Model bundle {container}/{prefix} predicts '{found}', but LabelFree:Models configures it as '{configured.Structure}'.", null);
        }

        if (!string.Equals(bundle.Manifest.InputModality, configured.Modality.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            Log.ModalityDiffers(_logger, modelId, bundle.Manifest.InputModality, configured.Modality.ToString());
        }

        var weightsSha256 = bundle.Manifest.Weights!.Sha256;
        if (configured.WeightsSha256 is { } pinned && !string.Equals(pinned, weightsSha256, StringComparison.Ordinal))
        {
            bundle.Dispose();
            throw new ModelLoadException(
                $"Model bundle {container}/{prefix} has weights with SHA-256 {weightsSha256}, but LabelFree:Models pins '{configured.Structure}' to {pinned}.", null);
        }

        var predictor = new StructurePredictor(bundle, PredictionSettings.ToPipeline(_options.Prediction));
        try
        {
            await Compute.RunAsync(() => WarmUp(predictor, cancellationToken), cancellationToken);
        }
        catch (NonFinitePredictionException e)
        {
            // A model that predicts NaN for a z-scored volume would fault every stack: it never becomes ready to.
            predictor.Dispose();
            throw new ModelLoadException(
                $"Model '{configured.Structure}' ({configured.Modality}) from {container}/{prefix} failed its warm-up: {e.Message}", e);
        }

        _telemetry.RecordModelLoad(configured.Structure, clock.Elapsed);
        Log.Loaded(_logger, modelId, weightsSha256, clock.Elapsed.TotalSeconds);
        return new LoadedStructureModel(configured.Structure, configured.Modality, modelId, weightsSha256, predictor);
    }

    private async Task FetchAsync(string container, string name, string path, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        await _store.DownloadAsync(new BlobLocation { Container = container, Name = name }, file, cancellationToken);
    }

    // The first forward pass pays for libtorch's lazy initialisation and kernel selection; do it before
    // the first stack so its timings (and its time budget) measure the stack alone.
    private static bool WarmUp(StructurePredictor predictor, CancellationToken cancellationToken)
    {
        var side = predictor.Manifest.Network.SpatialMultiple;
        var shape = predictor.Manifest.Network.Dimensions == 3 ? new VolumeShape(side, side, side) : new VolumeShape(1, side, side);
        var random = new Random(1);
        var voxels = new float[shape.VoxelCount];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = random.NextSingle();
        }

        predictor.Predict(new Volume(shape, voxels), predictor.Manifest.VoxelSize, cancellationToken);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Model {ModelId} loaded and warmed up in {Seconds:0.00} s (weights SHA-256 {Sha256})")]
        public static partial void Loaded(ILogger logger, string modelId, string sha256, double seconds);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "{Count} structure models ready: {Models}")]
        public static partial void AllLoaded(ILogger logger, int count, string models);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Model {ModelId} was trained on {Trained} but is configured for {Configured}")]
        public static partial void ModalityDiffers(ILogger logger, string modelId, string trained, string configured);
    }
}
