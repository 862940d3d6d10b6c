using LabelFree.Pipeline.Prediction;

namespace LabelFree.Benchmarks;

/// <summary>
/// The fastest observed product of two square <paramref name="MatrixSize"/> x <paramref name="MatrixSize"/>
/// matrices: the machine's practical dense-arithmetic ceiling, against which network speed is judged.
/// </summary>
/// <param name="BestCpuSeconds">CPU time (all threads) of the least CPU-hungry timed run.</param>
public sealed record GemmMeasurement(Precision Precision, int MatrixSize, int WarmUpRuns, int TimedRuns, double BestSeconds, double BestCpuSeconds)
{
    /// <summary>2 n³: one multiply and one add per term of every dot product.</summary>
    public long Flops => GemmBenchmark.FlopsPerProduct(MatrixSize);

    public double GigaflopsPerSecond => Flops / BestSeconds / 1e9;

    /// <summary>GFLOP per CPU-second: the rate per busy core, barely affected by other work on the machine.</summary>
    public double GigaflopsPerCpuSecond => Flops / BestCpuSeconds / 1e9;
}
