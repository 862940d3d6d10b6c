using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// A scientific camera: each voxel counts a Poisson number of photons around its expected value, is amplified
/// by <see cref="CountsPerPhoton"/>, gets Gaussian read noise and sits on a fixed <see cref="OffsetCounts"/>.
/// The expected counts (offset + gain * expected photons) are the noise-free truth of an exposure.
/// </summary>
public sealed record PoissonGaussianCamera
{
    public double CountsPerPhoton { get; init; } = 1.0;

    public double ReadNoiseCounts { get; init; } = 3.0;

    public double OffsetCounts { get; init; } = 100.0;

    /// <summary>The mean of <see cref="Expose"/>: offset + gain * photons, voxel by voxel.</summary>
    public Volume ExpectedCounts(Volume expectedPhotons)
    {
        ArgumentNullException.ThrowIfNull(expectedPhotons);
        var counts = new float[expectedPhotons.Voxels.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = (float)(OffsetCounts + CountsPerPhoton * Math.Max(0, expectedPhotons.Voxels[i]));
        }

        return new Volume(expectedPhotons.Shape, counts);
    }

    /// <summary>
    /// One noisy exposure. Each image row draws from its own stream derived from <paramref name="streamSeed"/>,
    /// so the result is identical however the rows are scheduled across threads.
    /// </summary>
    public Volume Expose(Volume expectedPhotons, ulong streamSeed)
    {
        ArgumentNullException.ThrowIfNull(expectedPhotons);
        var shape = expectedPhotons.Shape;
        var counts = new float[expectedPhotons.Voxels.Length];
        var source = expectedPhotons.Voxels;
        Parallel.For(0, shape.Z * shape.Y, row =>
        {
            var random = new SeededRandom(SeededRandom.Mix(streamSeed ^ SeededRandom.Mix((ulong)row + 1)));
            for (var i = row * shape.X; i < (row + 1) * shape.X; i++)
            {
                var photons = random.NextPoisson(Math.Max(0, source[i]));
                counts[i] = (float)(OffsetCounts + CountsPerPhoton * photons + ReadNoiseCounts * random.NextGaussian());
            }
        });
        return new Volume(shape, counts);
    }

    internal void Validate()
    {
        if (!(CountsPerPhoton > 0) || !double.IsFinite(CountsPerPhoton)
            || !(ReadNoiseCounts >= 0) || !double.IsFinite(ReadNoiseCounts) || !double.IsFinite(OffsetCounts))
        {
            throw new ArgumentException(
                $"Camera needs a positive gain, a read noise >= 0 and a finite offset, got gain {CountsPerPhoton}, read noise {ReadNoiseCounts}, offset {OffsetCounts}.");
        }
    }
}
