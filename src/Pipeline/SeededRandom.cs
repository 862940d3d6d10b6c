namespace LabelFree.Pipeline;

/// <summary>
/// A small, fully specified pseudo-random source (SplitMix64) with the distributions the simulators need.
/// We do not use <see cref="System.Random"/>: its seeded sequence is stable today, but its sampling methods
/// are not specified and have changed between .NET versions; SplitMix64 is a few lines, gives identical
/// numbers on every runtime, and splits cheaply into independent streams so that work done in parallel
/// (one stream per plane, per frame, per structure) stays deterministic whatever the thread schedule.
/// </summary>
public sealed class SeededRandom
{
    private ulong _state;
    private double? _spareGaussian;

    public SeededRandom(ulong seed)
    {
        _state = seed;
    }

    /// <summary>
    /// The generator's position, so a training checkpoint can store it and a resumed run draws exactly the
    /// same numbers. Assigning it drops a pending spare Gaussian (callers that checkpoint draw only uniforms).
    /// </summary>
    public ulong State
    {
        get => _state;
        set
        {
            _state = value;
            _spareGaussian = null;
        }
    }

    /// <summary>An independent stream for one piece of work, named by the simulation seed and a path of keys.</summary>
    public static SeededRandom ForStream(long seed, params ReadOnlySpan<ulong> keys) => new(StreamSeed(seed, keys));

    /// <summary>Mixes the seed and the keys into one 64-bit seed; keys in a different order give a different stream.</summary>
    public static ulong StreamSeed(long seed, params ReadOnlySpan<ulong> keys)
    {
        var mixed = Mix(unchecked((ulong)seed) ^ 0x6A09E667F3BCC909UL);
        foreach (var key in keys)
        {
            mixed = Mix(mixed ^ Mix(key + 0x9E3779B97F4A7C15UL));
        }

        return mixed;
    }

    /// <summary>A stable key for a name (FNV-1a; <see cref="string.GetHashCode()"/> is randomised per process).</summary>
    public static ulong KeyOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var hash = 0xCBF29CE484222325UL;
        foreach (var character in name)
        {
            hash = unchecked((hash ^ character) * 0x100000001B3UL);
        }

        return hash;
    }

    /// <summary>The SplitMix64 output function: a bijective 64-bit mix with good avalanche.</summary>
    public static ulong Mix(ulong value)
    {
        unchecked
        {
            value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
            value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
            return value ^ (value >> 31);
        }
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
        }

        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)(NextDouble() * count);
    }

    /// <summary>Standard normal deviate (Box–Muller, the second value of each pair kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }

        var u = 1.0 - NextDouble();
        var v = NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * v);
        return radius * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>
    /// Poisson deviate with mean <paramref name="mean"/>. Exact for every mean: Knuth's product method below 10,
    /// Hörmann's transformed rejection (PTRS, 1993) above, so shot noise has the right variance at any brightness.
    /// </summary>
    public int NextPoisson(double mean)
    {
        if (!(mean > 0))
        {
            return 0;
        }

        return mean < 10 ? PoissonByProducts(mean) : PoissonByTransformedRejection(mean);
    }

    private int PoissonByProducts(double mean)
    {
        var limit = Math.Exp(-mean);
        var count = 0;
        var product = NextDouble();
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    private int PoissonByTransformedRejection(double mean)
    {
        var logMean = Math.Log(mean);
        var b = 0.931 + 2.53 * Math.Sqrt(mean);
        var a = -0.059 + 0.02483 * b;
        var inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
        var vr = 0.9277 - 3.6224 / (b - 2);
        while (true)
        {
            var u = NextDouble() - 0.5;
            var v = NextDouble();
            var us = 0.5 - Math.Abs(u);
            var k = Math.Floor((2 * a / us + b) * u + mean + 0.43);
            if (us >= 0.07 && v <= vr)
            {
                return (int)k;
            }

            if (k < 0 || (us < 0.013 && v > us))
            {
                continue;
            }

            if (Math.Log(v) + Math.Log(inverseAlpha) - Math.Log(a / (us * us) + b)
                <= -mean + k * logMean - LogFactorial(k))
            {
                return (int)k;
            }
        }
    }

    private static double LogFactorial(double k)
    {
        if (k < 10)
        {
            var product = 1.0;
            for (var i = 2; i <= (int)k; i++)
            {
                product *= i;
            }

            return Math.Log(product);
        }

        // Stirling's series; the error is below 1e-10 for k >= 10, far under the rejection test's resolution.
        var inverse = 1.0 / k;
        var inverseSquared = inverse * inverse;
        return (k + 0.5) * Math.Log(k) - k + 0.5 * Math.Log(2 * Math.PI)
            + inverse * (1.0 / 12 - inverseSquared * (1.0 / 360 - inverseSquared / 1260));
    }
}
