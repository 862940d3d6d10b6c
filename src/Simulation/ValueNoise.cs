namespace LabelFree.Simulation;

/// <summary>
/// Smooth band-limited noise in 2D or 3D (value noise: random values on an integer lattice, blended with a
/// quintic fade so the field and its slope are continuous). Summed over octaves it gives the irregular
/// texture of chromatin, cytoplasm granules or tissue density. Coordinates are in lattice units: divide a
/// position in µm by the feature size in µm.
/// </summary>
public sealed class ValueNoise
{
    private readonly LatticeHash _lattice;

    public ValueNoise(ulong seed)
    {
        _lattice = new LatticeHash(seed);
    }

    /// <summary>One octave of 2D noise at (x, y): the z = 0 plane, with half the lattice lookups.</summary>
    public double Sample(double x, double y)
    {
        var x0 = Math.Floor(x);
        var y0 = Math.Floor(y);
        var (i, j) = ((long)x0, (long)y0);
        var (fx, fy) = (Fade(x - x0), Fade(y - y0));
        return Lerp(
            Lerp(_lattice.Signed(i, j, 0), _lattice.Signed(i + 1, j, 0), fx),
            Lerp(_lattice.Signed(i, j + 1, 0), _lattice.Signed(i + 1, j + 1, 0), fx),
            fy);
    }

    /// <summary>One octave at (x, y, z); values in [-1, 1], zero mean over space.</summary>
    public double Sample(double x, double y, double z)
    {
        var x0 = Math.Floor(x);
        var y0 = Math.Floor(y);
        var z0 = Math.Floor(z);
        var i = (long)x0;
        var j = (long)y0;
        var k = (long)z0;
        var fx = Fade(x - x0);
        var fy = Fade(y - y0);
        var fz = Fade(z - z0);

        var c00 = Lerp(_lattice.Signed(i, j, k), _lattice.Signed(i + 1, j, k), fx);
        var c10 = Lerp(_lattice.Signed(i, j + 1, k), _lattice.Signed(i + 1, j + 1, k), fx);
        var c01 = Lerp(_lattice.Signed(i, j, k + 1), _lattice.Signed(i + 1, j, k + 1), fx);
        var c11 = Lerp(_lattice.Signed(i, j + 1, k + 1), _lattice.Signed(i + 1, j + 1, k + 1), fx);
        return Lerp(Lerp(c00, c10, fy), Lerp(c01, c11, fy), fz);
    }

    /// <summary>
    /// Octaves of doubling frequency and halving amplitude, normalised so the result stays in [-1, 1].
    /// Each octave is shifted by an irrational offset so lattice points of different octaves never coincide.
    /// </summary>
    public double Fractal(double x, double y, double z, int octaves)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(octaves);
        var sum = 0.0;
        var amplitude = 1.0;
        var norm = 0.0;
        var frequency = 1.0;
        for (var octave = 0; octave < octaves; octave++)
        {
            var shift = 17.31 * octave;
            sum += amplitude * Sample(x * frequency + shift, y * frequency - shift, z * frequency + 0.5 * shift);
            norm += amplitude;
            amplitude *= 0.5;
            frequency *= 2.0;
        }

        return sum / norm;
    }

    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);

    private static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
