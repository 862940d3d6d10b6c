using System.Diagnostics.Metrics;
using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// The worker's own metrics (meter "LabelFree.Worker"). Instrument names follow OpenTelemetry style
/// (dots, units as UCUM); the Prometheus exporter turns them into these series:
/// <list type="bullet">
/// <item>labelfree_stacks_predicted_total — light-microscopy stacks whose StackPredicted was published (a reused result counts too)</item>
/// <item>labelfree_stacks_registered_total{outcome} — EM stacks whose EmRegistered was published, outcome converged or
/// not_converged (both served from 0): an EM stack is registered, not predicted, and one whose refinement did not
/// converge must stand out rather than pass as done work</item>
/// <item>labelfree_stacks_rejected_total{reason} — bad inputs, by RejectionReason name (every reason served from 0)</item>
/// <item>labelfree_stacks_failed_total{reason} — defects that went to the error queue path: non_finite_prediction
/// (a compute defect), poison (its earlier attempts died with their workers) or defect (anything else); all served from 0</item>
/// <item>labelfree_stacks_in_flight — stacks being processed now (gauge)</item>
/// <item>labelfree_stage_duration_seconds{stage[,structure]} — histogram per stage; inference per structure</item>
/// <item>labelfree_voxels_per_second — histogram of input voxels over total stack time</item>
/// <item>labelfree_model_load_duration_seconds{structure} — histogram of model load and warm-up time</item>
/// <item>labelfree_pearson_r{structure} — histogram of Pearson r against ground truth, when given</item>
/// <item>labelfree_predictions_out_of_distribution_total{structure} — structure predictions whose input the model's
/// out-of-distribution score flagged; a structure's series starts (at 0) with its first scored stack, and models
/// whose bundles describe no training inputs have none</item>
/// <item>labelfree_storage_retries_total{operation} — storage attempts that failed transiently and were retried</item>
/// </list>
/// </summary>
public sealed class WorkerTelemetry
{
    /// <summary>The meter name to add to the metrics pipeline.</summary>
    public const string MeterName = "LabelFree.Worker";

    // Seconds, from a fast decode to a stack near the 20-minute budget.
    private static readonly double[] DurationBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200];

    private static readonly double[] ThroughputBuckets = [1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7, 3e7, 1e8];

    private static readonly double[] PearsonBuckets = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1];

    private readonly Counter<long> _predicted;
    private readonly Counter<long> _registered;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _failed;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _voxelsPerSecond;
    private readonly Histogram<double> _modelLoad;
    private readonly Histogram<double> _pearsonR;
    private readonly Counter<long> _outOfDistribution;
    private readonly Counter<long> _storageRetries;
    private readonly Counter<long> _storageAccessDenied;

    public WorkerTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _predicted = meter.CreateCounter<long>("labelfree.stacks.predicted", "{stack}", "Stacks whose predictions were published.");
        _registered = meter.CreateCounter<long>("labelfree.stacks.registered", "{stack}", "EM stacks whose registrations were published, by outcome.");
        _rejected = meter.CreateCounter<long>("labelfree.stacks.rejected", "{stack}", "Stacks rejected for bad input, by reason.");
        _failed = meter.CreateCounter<long>("labelfree.stacks.failed", "{stack}", "Stack attempts that failed with a defect, by reason.");
        _inFlight = meter.CreateUpDownCounter<long>("labelfree.stacks.in_flight", "{stack}", "Stacks being processed now.");
        _stageDuration = meter.CreateHistogram("labelfree.stage.duration", "s", "Time per processing stage.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _voxelsPerSecond = meter.CreateHistogram("labelfree.voxels_per_second", "{voxel}/s", "Input voxels per second of total stack time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ThroughputBuckets });
        _modelLoad = meter.CreateHistogram("labelfree.model.load.duration", "s", "Time to load and warm up one model.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _pearsonR = meter.CreateHistogram("labelfree.pearson_r", "1", "Pearson r of prediction against ground truth.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = PearsonBuckets });
        _outOfDistribution = meter.CreateCounter<long>("labelfree.predictions.out_of_distribution", "{prediction}",
            "Structure predictions whose input lay outside the model's training distribution.");
        _storageRetries = meter.CreateCounter<long>("labelfree.storage.retries", "{retry}", "Storage attempts retried after a transient failure.");
        _storageAccessDenied = meter.CreateCounter<long>("labelfree.storage.access_denied", "{attempt}",
            "Stack attempts sent back to the queue because storage refused the credentials (401/403).");
        StartCountersAtZero();
    }

    /// <summary>A stack's processing began; pair with <see cref="StackFinished"/>.</summary>
    public void StackStarted() => _inFlight.Add(1);

    /// <summary>A stack's processing ended, however it ended.</summary>
    public void StackFinished() => _inFlight.Add(-1);

    /// <summary>A StackPredicted event was published.</summary>
    public void StackPredicted() => _predicted.Add(1);

    /// <summary>An EmRegistered event was published; <paramref name="converged"/> is its Converged.</summary>
    public void StackRegistered(bool converged) => _registered.Add(1, RegistrationOutcome(converged));

    /// <summary>A StackRejected event was published.</summary>
    public void StackRejected(RejectionReason reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString()));

    /// <summary>An attempt failed with a defect (it goes to the error queue).</summary>
    public void StackFailed(StackFailure reason) => _failed.Add(1, FailureReason(reason));

    /// <summary>Time spent in one stage other than inference.</summary>
    public void RecordStage(WorkerStage stage, TimeSpan duration)
    {
        if (stage == WorkerStage.Inference)
        {
            throw new ArgumentException("Inference is timed per structure: use RecordInference.", nameof(stage));
        }

        _stageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", StageLabel(stage)));
    }

    /// <summary>Time one structure model spent predicting one stack.</summary>
    public void RecordInference(string structure, TimeSpan duration) =>
        _stageDuration.Record(
            duration.TotalSeconds,
            new KeyValuePair<string, object?>("stage", StageLabel(WorkerStage.Inference)),
            new KeyValuePair<string, object?>("structure", structure));

    /// <summary>Input voxels (all time points, one channel) over the stack's total processing time.</summary>
    public void RecordThroughput(long voxels, TimeSpan total)
    {
        if (total > TimeSpan.Zero)
        {
            _voxelsPerSecond.Record(voxels / total.TotalSeconds);
        }
    }

    /// <summary>Time to load, verify and warm up one structure model.</summary>
    public void RecordModelLoad(string structure, TimeSpan duration) =>
        _modelLoad.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("structure", structure));

    /// <summary>Pearson r of one structure's prediction against its ground-truth channel.</summary>
    public void RecordPearsonR(string structure, double r) =>
        _pearsonR.Record(r, new KeyValuePair<string, object?>("structure", structure));

    /// <summary>One structure's prediction of a stack was scored against its training inputs; adds 1 when flagged, else 0 (so the series exists from the first).</summary>
    public void RecordDistribution(string structure, bool outOfDistribution) =>
        _outOfDistribution.Add(outOfDistribution ? 1 : 0, new KeyValuePair<string, object?>("structure", structure));

    /// <summary>A stack attempt went back to the queue because storage refused the worker's credentials.</summary>
    public void StorageAccessDenied() => _storageAccessDenied.Add(1);

    /// <summary>A storage operation is about to be retried.</summary>
    public void RecordStorageRetry(StorageRetry retry)
    {
        ArgumentNullException.ThrowIfNull(retry);
        _storageRetries.Add(1, new KeyValuePair<string, object?>("operation", retry.Operation));
    }

    // Prometheus' rate() and increase() count only what a series gains after it first appears: a counter
    // born at 1 hides its first stack (batch progress undercounts, the failure alert misses one), and an
    // absent series shows "No data" where the operator should read 0. So every outcome starts at 0;
    // registrations once per outcome, rejections and failures once per reason, each a fixed set. Storage retries are labelled by the
    // store's operation and histograms have no honest zero: those appear with their first measurement.
    private void StartCountersAtZero()
    {
        _predicted.Add(0);
        _registered.Add(0, RegistrationOutcome(converged: true));
        _registered.Add(0, RegistrationOutcome(converged: false));
        _storageAccessDenied.Add(0);
        foreach (var reason in Enum.GetValues<StackFailure>())
        {
            _failed.Add(0, FailureReason(reason));
        }

        _inFlight.Add(0);
        foreach (var reason in Enum.GetValues<RejectionReason>())
        {
            _rejected.Add(0, new KeyValuePair<string, object?>("reason", reason.ToString()));
        }
    }

    private static KeyValuePair<string, object?> RegistrationOutcome(bool converged) =>
        new("outcome", converged ? "converged" : "not_converged");

    private static KeyValuePair<string, object?> FailureReason(StackFailure reason) => new("reason", reason switch
    {
        StackFailure.Defect => "defect",
        StackFailure.NonFinitePrediction => "non_finite_prediction",
        StackFailure.Poison => "poison",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown failure reason"),
    });

    private static string StageLabel(WorkerStage stage) => stage switch
    {
        WorkerStage.Download => "download",
        WorkerStage.Decode => "decode",
        WorkerStage.Preprocess => "preprocess",
        WorkerStage.Inference => "inference",
        WorkerStage.Encode => "encode",
        WorkerStage.Upload => "upload",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
    };
}
