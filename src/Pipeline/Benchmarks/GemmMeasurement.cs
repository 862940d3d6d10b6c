using LabelFree.Pipeline.Prediction;

namespace LabelFree.Pipeline.Benchmarks;

/// <summary>
/// The fastest observed product of two square <paramref name="MatrixSize"/> x <paramref name="MatrixSize"/>
/// matrices: the machine's practical dense-arithmetic ceiling, against which network speed is judged.
/// </summary>
public sealed record GemmMeasurement(Precision Precision, int MatrixSize, int WarmUpRuns, int TimedRuns, double BestSeconds)
{
    /// <summary>2 n³: one multiply and one add per term of every dot product.</summary>
    public long Flops => GemmBenchmark.FlopsPerProduct(MatrixSize);

    public double GigaflopsPerSecond => Flops / BestSeconds / 1e9;
}
