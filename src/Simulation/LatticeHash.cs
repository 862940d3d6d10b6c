using LabelFree.Pipeline;

namespace LabelFree.Simulation;

/// <summary>
/// Deterministic pseudo-random numbers attached to integer lattice points. Procedural textures and
/// scattered features (noise values, cell seeds, organelles) are looked up by position instead of being
/// stored, so any window of an unbounded scene renders the same wherever and in whatever order it is drawn.
/// </summary>
public readonly struct LatticeHash
{
    private readonly ulong _seed;

    public LatticeHash(ulong seed)
    {
        _seed = seed;
    }

    /// <summary>64 random bits for lattice point (i, j, k) and a sub-key (which value of that point).</summary>
    public ulong Bits(long i, long j, long k = 0, ulong subKey = 0)
    {
        unchecked
        {
            // Two rounds of the SplitMix64 finaliser over odd-constant multiples: full avalanche, half the cost of one round per coordinate.
            var h = SeededRandom.Mix(_seed ^ ((ulong)i * 0x9E3779B97F4A7C15UL) ^ ((ulong)k * 0x165667B19E3779F9UL));
            return SeededRandom.Mix(h ^ ((ulong)j * 0xC2B2AE3D27D4EB4FUL) ^ (subKey * 0xD6E8FEB86659FD93UL));
        }
    }

    /// <summary>Uniform in [0, 1) for lattice point (i, j, k) and sub-key.</summary>
    public double Uniform(long i, long j, long k = 0, ulong subKey = 0) =>
        (Bits(i, j, k, subKey) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [-1, 1) for lattice point (i, j, k) and sub-key.</summary>
    public double Signed(long i, long j, long k = 0, ulong subKey = 0) => 2.0 * Uniform(i, j, k, subKey) - 1.0;
}
