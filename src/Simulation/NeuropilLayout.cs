using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// The neuropil between axons as the electron microscope sees it, over one rectangle of tissue: cell profiles
/// around a jittered lattice of centres (0.8 µm apart) separated by dark membranes, each with its own cytoplasm
/// density, and mitochondria on a coarser lattice. Lattice values are hashed from the tissue seed, so any window
/// of the tissue renders identically; they are tabulated once per rectangle because each pixel reads dozens.
/// </summary>
internal sealed class NeuropilLayout
{
    private const double ProfileSpacing = 0.8;
    private const double OrganelleSpacing = 1.5;

    private readonly double _lineWidth;
    private readonly ValueNoise _fine;
    private readonly ValueNoise _coarse;
    private readonly LatticeTable<(double X, double Y, double Tone)> _profiles;
    private readonly LatticeTable<Mitochondrion?> _organelles;

    public NeuropilLayout(ulong seed, double minX, double minY, double maxX, double maxY, double lineWidth)
    {
        _lineWidth = lineWidth;
        _fine = new ValueNoise(SeededRandom.Mix(seed ^ SeededRandom.KeyOf("fine texture")));
        _coarse = new ValueNoise(SeededRandom.Mix(seed ^ SeededRandom.KeyOf("coarse texture")));
        var lattice = new LatticeHash(SeededRandom.Mix(seed ^ SeededRandom.KeyOf("neuropil")));
        _profiles = new LatticeTable<(double, double, double)>(ProfileSpacing, minX, minY, maxX, maxY, (i, j) => (
            (i + lattice.Uniform(i, j, 0, 1)) * ProfileSpacing,
            (j + lattice.Uniform(i, j, 0, 2)) * ProfileSpacing,
            0.06 * lattice.Signed(i, j, 0, 3)));
        _organelles = new LatticeTable<Mitochondrion?>(OrganelleSpacing, minX, minY, maxX, maxY, (i, j) =>
            lattice.Uniform(i, j, 1, 0) > 0.4
                ? null
                : new Mitochondrion(
                    (i + lattice.Uniform(i, j, 1, 1)) * OrganelleSpacing,
                    (j + lattice.Uniform(i, j, 1, 2)) * OrganelleSpacing,
                    0.12 + 0.18 * lattice.Uniform(i, j, 1, 3),
                    0.05 + 0.04 * lattice.Uniform(i, j, 1, 4),
                    Math.PI * lattice.Uniform(i, j, 1, 5)));
    }

    /// <summary>Fine granular texture (about 30 nm grains), values about -1..1.</summary>
    public double Fine(double x, double y) => _fine.Sample(x / 0.03, y / 0.03);

    /// <summary>Transmission (0..1) of the neuropil at (x, y).</summary>
    public double Transmission(double x, double y)
    {
        var (ci, cj) = _profiles.CellOf(x, y);
        var (first, second) = (double.MaxValue, double.MaxValue);
        (double X, double Y, double Tone) firstSite = default, secondSite = default;
        for (var j = cj - 1; j <= cj + 1; j++)
        {
            for (var i = ci - 1; i <= ci + 1; i++)
            {
                var site = _profiles[i, j];
                var d = Square(x - site.X) + Square(y - site.Y);
                if (d < first)
                {
                    (second, secondSite) = (first, firstSite);
                    (first, firstSite) = (d, site);
                }
                else if (d < second)
                {
                    (second, secondSite) = (d, site);
                }
            }
        }

        // Distance to the bisector of the two nearest centres: the membrane between the two profiles.
        var boundary = (second - first) / (2 * Math.Sqrt(Square(firstSite.X - secondSite.X) + Square(firstSite.Y - secondSite.Y)));
        var value = 0.63 + firstSite.Tone + 0.06 * Fine(x, y) + 0.04 * _coarse.Sample(x / 0.3, y / 0.3);
        value = WithMitochondria(x, y, value);
        return Math.Clamp(value * (1 - 0.6 * Gaussian(boundary, _lineWidth)), 0, 1);
    }

    public static double Gaussian(double distance, double sigma)
    {
        var u = distance / sigma;
        return u * u > 40 ? 0 : Math.Exp(-0.5 * u * u);
    }

    /// <summary>Mitochondria: dark elongated profiles with a darker rim and striped cristae.</summary>
    private double WithMitochondria(double x, double y, double value)
    {
        var (ci, cj) = _organelles.CellOf(x, y);
        for (var j = cj - 1; j <= cj + 1; j++)
        {
            for (var i = ci - 1; i <= ci + 1; i++)
            {
                if (_organelles[i, j] is not { } organelle)
                {
                    continue;
                }

                var (dx, dy) = (x - organelle.X, y - organelle.Y);
                var along = organelle.Cos * dx + organelle.Sin * dy;
                var across = -organelle.Sin * dx + organelle.Cos * dy;
                var radial = Math.Sqrt(Square(along / organelle.Length) + Square(across / organelle.Width));
                if (radial > 1.5)
                {
                    continue;
                }

                var outside = (radial - 1) * organelle.Width;
                var matrix = 0.40 + 0.07 * Math.Cos(2 * Math.PI * along / 0.05);
                var inside = Math.Clamp(0.5 - outside / _lineWidth, 0, 1);
                value = (value + inside * (matrix - value)) * (1 - 0.5 * Gaussian(outside, _lineWidth));
            }
        }

        return value;
    }

    private static double Square(double value) => value * value;

    private sealed record Mitochondrion(double X, double Y, double Length, double Width, double Angle)
    {
        public double Cos { get; } = Math.Cos(Angle);

        public double Sin { get; } = Math.Sin(Angle);
    }

    /// <summary>Values of a square lattice over a rectangle (plus one cell of border), computed once.</summary>
    private sealed class LatticeTable<T>
    {
        private readonly double _spacing;
        private readonly long _firstI;
        private readonly long _firstJ;
        private readonly int _columns;
        private readonly T[] _values;

        public LatticeTable(double spacing, double minX, double minY, double maxX, double maxY, Func<long, long, T> value)
        {
            _spacing = spacing;
            _firstI = (long)Math.Floor(minX / spacing) - 2;
            _firstJ = (long)Math.Floor(minY / spacing) - 2;
            _columns = (int)((long)Math.Floor(maxX / spacing) + 2 - _firstI + 1);
            var rows = (int)((long)Math.Floor(maxY / spacing) + 2 - _firstJ + 1);
            _values = new T[_columns * rows];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < _columns; c++)
                {
                    _values[r * _columns + c] = value(_firstI + c, _firstJ + r);
                }
            }
        }

        public T this[long i, long j] => _values[(j - _firstJ) * _columns + (i - _firstI)];

        public (long I, long J) CellOf(double x, double y) => ((long)Math.Floor(x / _spacing), (long)Math.Floor(y / _spacing));
    }
}
