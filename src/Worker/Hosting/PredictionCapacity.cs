using System.Globalization;
using LabelFree.Pipeline.Prediction;

namespace LabelFree.Worker.Hosting;

/// <summary>
/// The two LabelFree:Prediction settings that the Pipeline's <see cref="PredictionOptions"/> cannot hold, bound
/// from the same section so the keys stay where operators and the chart set them. CpuThreads is the worker's
/// spelling of <see cref="PredictionOptions.Threads"/>, with 0 meaning every core (the Pipeline's threads are a
/// count, at least 1); MaxInputVoxels is the worker's admission bound, checked before anything is allocated, which
/// the CLI does not need because its operator chose the file.
/// </summary>
public sealed class PredictionCapacity
{
    /// <summary>Threads for inference; 0 uses every core.</summary>
    public int CpuThreads { get; set; }

    /// <summary>Inputs with more voxels (all time points and channels) are rejected as TooLarge.</summary>
    public long MaxInputVoxels { get; set; } = 1L << 30;

    /// <summary>
    /// libtorch's intra-op threads for <see cref="CpuThreads"/>. A negative value also means every core: the host
    /// reads these settings before validation reports it.
    /// </summary>
    public int Threads => CpuThreads > 0 ? CpuThreads : Environment.ProcessorCount;

    /// <summary>
    /// <paramref name="prediction"/> with its threads taken from CpuThreads: LabelFree:Prediction:Threads is not a
    /// setting of the worker, so a value bound there is overwritten.
    /// </summary>
    public PredictionOptions Apply(PredictionOptions prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction with { Threads = Threads };
    }

    /// <summary>Summary for logs.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"threads {(CpuThreads == 0 ? "all" : CpuThreads.ToString(CultureInfo.InvariantCulture))}, max input {MaxInputVoxels} voxels");
}
