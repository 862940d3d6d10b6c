using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Benchmarks;

/// <summary>
/// How closely one prediction of a stack matches a reference prediction of the same stack (bf16 vs
/// fp32, tiled vs one pass): Pearson r, and the RMS and largest voxel difference as fractions of the
/// reference's standard deviation (r hides a few bad voxels, such as a tile seam; the maximum shows them).
/// </summary>
public sealed record Agreement(string Name, double R, double RelativeRmsDifference, double RelativeMaxDifference)
{
    /// <exception cref="ArgumentException">The volumes differ in shape.</exception>
    public static Agreement Between(string name, Volume prediction, Volume reference)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(reference);
        var r = PearsonCorrelation.Between(prediction, reference).R ?? double.NaN;
        double mean = 0;
        foreach (var value in reference.Voxels)
        {
            mean += value;
        }

        mean /= reference.Voxels.Length;
        double variance = 0, squaredDifference = 0, maxDifference = 0;
        for (var i = 0; i < reference.Voxels.Length; i++)
        {
            var deviation = reference.Voxels[i] - mean;
            var difference = Math.Abs((double)prediction.Voxels[i] - reference.Voxels[i]);
            variance += deviation * deviation;
            squaredDifference += difference * difference;
            maxDifference = Math.Max(maxDifference, difference);
        }

        var deviationOfReference = Math.Sqrt(variance / reference.Voxels.Length);
        return new Agreement(name, r, Math.Sqrt(squaredDifference / reference.Voxels.Length) / deviationOfReference, maxDifference / deviationOfReference);
    }
}
