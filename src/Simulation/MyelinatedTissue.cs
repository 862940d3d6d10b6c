using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// A cross-section of nerve tissue over a rectangle in micrometres: non-overlapping axon profiles placed by
/// random sequential addition (largest first, so big axons find room), the neuropil between them left to
/// <see cref="ElectronContrast"/>. One tissue serves both modalities: its myelin is what the IF image labels and
/// what the electron micrograph shows as dark rings, so any two renderings of it are registered by construction.
/// </summary>
public sealed class MyelinatedTissue
{
    private const double GapMicrometres = 0.03;

    private MyelinatedTissue(double minX, double minY, double maxX, double maxY, ulong seed, IReadOnlyList<Axon> axons)
    {
        (MinX, MinY, MaxX, MaxY) = (minX, minY, maxX, maxY);
        Seed = seed;
        Axons = axons;
    }

    public double MinX { get; }

    public double MinY { get; }

    public double MaxX { get; }

    public double MaxY { get; }

    /// <summary>Seed of the procedural detail (neuropil, organelles, texture) that is looked up rather than stored.</summary>
    public ulong Seed { get; }

    public IReadOnlyList<Axon> Axons { get; }

    public static MyelinatedTissue Generate(double minX, double minY, double maxX, double maxY, TissueComposition composition, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(composition);
        composition.Validate();
        if (!(maxX > minX) || !(maxY > minY) || !double.IsFinite(minX + minY + maxX + maxY))
        {
            throw new ArgumentException($"Tissue rectangle must have positive size, got x {minX}..{maxX}, y {minY}..{maxY}.");
        }

        var random = new SeededRandom(SeededRandom.Mix(seed ^ SeededRandom.KeyOf("axons")));
        var patches = new ValueNoise(SeededRandom.Mix(seed ^ SeededRandom.KeyOf("myelin patches")));
        var area = (maxX - minX) * (maxY - minY);

        var radii = new List<double>();
        var covered = 0.0;
        while (covered < composition.AxonAreaFraction * area)
        {
            var radius = Math.Clamp(composition.MedianAxonRadiusMicrometres * Math.Exp(0.4 * random.NextGaussian()), 0.12, 1.2);
            var gRatio = random.NextDouble(composition.MinimumGRatio, composition.MaximumGRatio);
            radii.Add(radius);
            covered += Math.PI * Math.Pow(radius / gRatio, 2) * composition.MyelinatedFraction
                + Math.PI * radius * radius * (1 - composition.MyelinatedFraction);
        }

        radii.Sort((a, b) => b.CompareTo(a));
        var index = new AxonIndex(minX, minY, maxX, maxY);
        var axons = new List<Axon>();
        foreach (var radius in radii)
        {
            for (var attempt = 0; attempt < 30; attempt++)
            {
                var (x, y) = (random.NextDouble(minX, maxX), random.NextDouble(minY, maxY));
                var local = Math.Clamp(
                    composition.MyelinatedFraction + 0.35 * patches.Fractal(x / composition.PatchMicrometres, y / composition.PatchMicrometres, 0, 2),
                    0, 1);
                var myelinated = radius >= composition.MinimumMyelinatedRadiusMicrometres && random.NextDouble() < local;
                var gRatio = random.NextDouble(composition.MinimumGRatio, composition.MaximumGRatio);
                var axon = new Axon(
                    x, y, radius, myelinated ? radius * (1 / gRatio - 1) : 0,
                    random.NextDouble(0, 0.15), random.NextDouble(0, Math.PI));
                if (index.HasRoomFor(axon, GapMicrometres))
                {
                    index.Add(axon, GapMicrometres);
                    axons.Add(axon);
                    break;
                }
            }
        }

        return new MyelinatedTissue(minX, minY, maxX, maxY, seed, axons);
    }

    /// <summary>Axons whose profile reaches into the rectangle [minX, maxX] x [minY, maxY].</summary>
    public IEnumerable<Axon> AxonsWithin(double minX, double minY, double maxX, double maxY) => Axons.Where(a =>
        a.CenterX + a.Reach >= minX && a.CenterX - a.Reach <= maxX && a.CenterY + a.Reach >= minY && a.CenterY - a.Reach <= maxY);

    /// <summary>
    /// A uniform grid of 1 µm buckets; each axon is entered in every bucket its profile (plus the gap) touches,
    /// so a candidate only checks the few axons in the buckets under its own profile.
    /// </summary>
    private sealed class AxonIndex(double minX, double minY, double maxX, double maxY)
    {
        private const double CellSize = 1.0;
        private readonly int _columns = (int)Math.Ceiling((maxX - minX) / CellSize) + 1;
        private readonly int _rows = (int)Math.Ceiling((maxY - minY) / CellSize) + 1;
        private readonly Dictionary<int, List<Axon>> _buckets = [];

        public bool HasRoomFor(Axon candidate, double gap)
        {
            foreach (var key in BucketsUnder(candidate.CenterX, candidate.CenterY, candidate.Reach))
            {
                if (!_buckets.TryGetValue(key, out var bucket))
                {
                    continue;
                }

                foreach (var other in bucket)
                {
                    var distanceSquared = Square(other.CenterX - candidate.CenterX) + Square(other.CenterY - candidate.CenterY);
                    if (distanceSquared < Square(other.Reach + candidate.Reach + gap))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        public void Add(Axon axon, double gap)
        {
            foreach (var key in BucketsUnder(axon.CenterX, axon.CenterY, axon.Reach + gap))
            {
                if (!_buckets.TryGetValue(key, out var bucket))
                {
                    bucket = [];
                    _buckets[key] = bucket;
                }

                bucket.Add(axon);
            }
        }

        private IEnumerable<int> BucketsUnder(double x, double y, double reach)
        {
            var (column0, column1) = (Column(x - reach), Column(x + reach));
            var (row0, row1) = (Row(y - reach), Row(y + reach));
            for (var row = row0; row <= row1; row++)
            {
                for (var column = column0; column <= column1; column++)
                {
                    yield return row * _columns + column;
                }
            }
        }

        private int Column(double x) => Math.Clamp((int)Math.Floor((x - minX) / CellSize), 0, _columns - 1);

        private int Row(double y) => Math.Clamp((int)Math.Floor((y - minY) / CellSize), 0, _rows - 1);

        private static double Square(double value) => value * value;
    }
}
