using WorkerPrediction = LabelFree.Worker.Hosting.PredictionOptions;
using PipelinePrediction = LabelFree.Pipeline.Prediction.PredictionOptions;
using PipelinePrecision = LabelFree.Pipeline.Prediction.Precision;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// Turns the worker's LabelFree:Prediction settings into the Pipeline's prediction options. The tiling
/// settings are the Pipeline's own (same names, same defaults), so the worker tiles a stack exactly as
/// `labelfree predict` does; only threads (0 = every core) and the precision's spelling are the worker's.
/// </summary>
public static class PredictionSettings
{
    public static PipelinePrediction ToPipeline(WorkerPrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var options = new PipelinePrediction
        {
            MaxVoxelsPerPass = prediction.MaxVoxelsPerPass,
            Margin = prediction.Margin,
            Precision = PrecisionOf(prediction.Precision),
            Threads = prediction.CpuThreads == 0 ? Environment.ProcessorCount : prediction.CpuThreads,
        };
        options.Validate();
        return options;
    }

    public static PipelinePrecision PrecisionOf(Hosting.PredictionPrecision precision) =>
        precision == Hosting.PredictionPrecision.BFloat16 ? PipelinePrecision.BFloat16 : PipelinePrecision.Float32;
}
