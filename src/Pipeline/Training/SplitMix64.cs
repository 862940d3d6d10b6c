namespace LabelFree.Pipeline.Training;

/// <summary>
/// A tiny deterministic random generator (SplitMix64) whose whole state is one ulong, so a training
/// checkpoint can store it and a resumed run draws exactly the same patches. System.Random cannot be
/// saved and restored.
/// </summary>
public sealed class SplitMix64
{
    public SplitMix64(ulong state) => State = state;

    /// <summary>The full generator state; assign a saved value to continue a sequence exactly.</summary>
    public ulong State { get; set; }

    public ulong NextUInt64()
    {
        var z = State += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [0, exclusiveMax), without modulo bias (Lemire's method).</summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        var bound = (ulong)exclusiveMax;
        var threshold = (0UL - bound) % bound;
        while (true)
        {
            var r = NextUInt64();
            var product = Math.BigMul(r, bound, out var low);
            if (low >= threshold)
            {
                return (int)product;
            }
        }
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));
}
