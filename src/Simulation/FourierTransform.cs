using System.Numerics;

namespace LabelFree.Simulation;

/// <summary>
/// Discrete Fourier transform of one length, mixed radix (recursive decimation in time over the prime factors
/// of the length). Any length works; lengths whose factors are 2, 3 and 5 (see <see cref="SmoothLength"/>) are
/// fast. Forward uses exp(-2πi jk/n); the inverse divides by n, so Inverse(Forward(x)) = x.
/// </summary>
public sealed class FourierTransform
{
    private readonly Complex[] _twiddles;
    private readonly int[] _factors;

    public FourierTransform(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        _twiddles = new Complex[length];
        for (var j = 0; j < length; j++)
        {
            var angle = -2.0 * Math.PI * j / length;
            _twiddles[j] = new Complex(Math.Cos(angle), Math.Sin(angle));
        }

        _factors = Factor(length);
    }

    public int Length { get; }

    /// <summary>The smallest length >= <paramref name="minimum"/> whose only prime factors are 2, 3 and 5.</summary>
    public static int SmoothLength(int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minimum);
        for (var candidate = minimum; ; candidate++)
        {
            var rest = candidate;
            foreach (var prime in new[] { 2, 3, 5 })
            {
                while (rest % prime == 0)
                {
                    rest /= prime;
                }
            }

            if (rest == 1)
            {
                return candidate;
            }
        }
    }

    /// <summary>Transforms <paramref name="source"/> into <paramref name="target"/> (both of <see cref="Length"/>).</summary>
    public void Transform(ReadOnlySpan<Complex> source, Span<Complex> target, bool inverse)
    {
        if (source.Length != Length || target.Length != Length)
        {
            throw new ArgumentException($"Both spans must hold {Length} values, got {source.Length} and {target.Length}.", nameof(source));
        }

        if (!inverse)
        {
            Recurse(source, 1, target, Length, 0);
            return;
        }

        // inverse(x) = conj(forward(conj(x))) / n: one set of butterflies serves both directions.
        Span<Complex> conjugated = Length <= 1024 ? stackalloc Complex[Length] : new Complex[Length];
        for (var i = 0; i < Length; i++)
        {
            conjugated[i] = Complex.Conjugate(source[i]);
        }

        Recurse(conjugated, 1, target, Length, 0);
        var scale = 1.0 / Length;
        for (var i = 0; i < Length; i++)
        {
            target[i] = Complex.Conjugate(target[i]) * scale;
        }
    }

    /// <summary>
    /// In-place 2D transform of a row-major height x width array: every row with <paramref name="rows"/>
    /// (length = width), then every column with <paramref name="columns"/> (length = height).
    /// </summary>
    public static void Transform2D(Complex[] data, FourierTransform rows, FourierTransform columns, bool inverse)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        var (height, width) = (columns.Length, rows.Length);
        if (data.Length != height * width)
        {
            throw new ArgumentException($"Expected {height}x{width} values, got {data.Length}.", nameof(data));
        }

        var line = new Complex[Math.Max(height, width)];
        var result = new Complex[Math.Max(height, width)];
        for (var y = 0; y < height; y++)
        {
            var row = data.AsSpan(y * width, width);
            row.CopyTo(line);
            rows.Transform(line.AsSpan(0, width), row, inverse);
        }

        for (var x = 0; x < width; x++)
        {
            for (var y = 0; y < height; y++)
            {
                line[y] = data[y * width + x];
            }

            columns.Transform(line.AsSpan(0, height), result.AsSpan(0, height), inverse);
            for (var y = 0; y < height; y++)
            {
                data[y * width + x] = result[y];
            }
        }
    }

    private void Recurse(ReadOnlySpan<Complex> source, int stride, Span<Complex> target, int length, int factorIndex)
    {
        if (length == 1)
        {
            target[0] = source[0];
            return;
        }

        var radix = _factors[factorIndex];
        var subLength = length / radix;
        for (var r = 0; r < radix; r++)
        {
            if (subLength == 1)
            {
                target[r] = source[r * stride];
            }
            else
            {
                Recurse(source.Slice(r * stride), stride * radix, target.Slice(r * subLength, subLength), subLength, factorIndex + 1);
            }
        }

        var step = Length / length;
        switch (radix)
        {
            case 2:
                Butterfly2(target, subLength, step);
                break;
            case 3:
                Butterfly3(target, subLength, step);
                break;
            case 4:
                Butterfly4(target, subLength, step);
                break;
            case 5:
                Butterfly5(target, subLength, step);
                break;
            default:
                ButterflyGeneric(target, subLength, step, radix);
                break;
        }
    }

    private void Butterfly2(Span<Complex> target, int subLength, int step)
    {
        for (var k = 0; k < subLength; k++)
        {
            var a = target[k];
            var b = target[k + subLength] * _twiddles[k * step];
            target[k] = a + b;
            target[k + subLength] = a - b;
        }
    }

    private void Butterfly4(Span<Complex> target, int subLength, int step)
    {
        for (var k = 0; k < subLength; k++)
        {
            var a0 = target[k];
            var a1 = target[k + subLength] * _twiddles[k * step];
            var a2 = target[k + 2 * subLength] * _twiddles[2 * k * step];
            var a3 = target[k + 3 * subLength] * _twiddles[3 * k * step];
            var (sum02, difference02) = (a0 + a2, a0 - a2);
            var (sum13, difference13) = (a1 + a3, a1 - a3);
            var rotated = MinusI(difference13);
            target[k] = sum02 + sum13;
            target[k + subLength] = difference02 + rotated;
            target[k + 2 * subLength] = sum02 - sum13;
            target[k + 3 * subLength] = difference02 - rotated;
        }
    }

    private void Butterfly3(Span<Complex> target, int subLength, int step)
    {
        var sine = Math.Sin(2 * Math.PI / 3);
        for (var k = 0; k < subLength; k++)
        {
            var a0 = target[k];
            var a1 = target[k + subLength] * _twiddles[k * step];
            var a2 = target[k + 2 * subLength] * _twiddles[2 * k * step];
            var sum = a1 + a2;
            var middle = a0 - 0.5 * sum;
            var rotated = MinusI(sine * (a1 - a2));
            target[k] = a0 + sum;
            target[k + subLength] = middle + rotated;
            target[k + 2 * subLength] = middle - rotated;
        }
    }

    private void Butterfly5(Span<Complex> target, int subLength, int step)
    {
        var (cos1, cos2) = (Math.Cos(2 * Math.PI / 5), Math.Cos(4 * Math.PI / 5));
        var (sin1, sin2) = (Math.Sin(2 * Math.PI / 5), Math.Sin(4 * Math.PI / 5));
        for (var k = 0; k < subLength; k++)
        {
            var a0 = target[k];
            var a1 = target[k + subLength] * _twiddles[k * step];
            var a2 = target[k + 2 * subLength] * _twiddles[2 * k * step];
            var a3 = target[k + 3 * subLength] * _twiddles[3 * k * step];
            var a4 = target[k + 4 * subLength] * _twiddles[4 * k * step];
            var (sum14, sum23, difference14, difference23) = (a1 + a4, a2 + a3, a1 - a4, a2 - a3);
            var even1 = a0 + cos1 * sum14 + cos2 * sum23;
            var even2 = a0 + cos2 * sum14 + cos1 * sum23;
            var odd1 = MinusI(sin1 * difference14 + sin2 * difference23);
            var odd2 = MinusI(sin2 * difference14 - sin1 * difference23);
            target[k] = a0 + sum14 + sum23;
            target[k + subLength] = even1 + odd1;
            target[k + 2 * subLength] = even2 + odd2;
            target[k + 3 * subLength] = even2 - odd2;
            target[k + 4 * subLength] = even1 - odd1;
        }
    }

    private static Complex MinusI(Complex value) => new(value.Imaginary, -value.Real);

    /// <summary>X[k + q m] = sum_r W_n^(r k) Y_r[k] W_radix^(r q), for any radix.</summary>
    private void ButterflyGeneric(Span<Complex> target, int subLength, int step, int radix)
    {
        Span<Complex> column = radix <= 64 ? stackalloc Complex[radix] : new Complex[radix];
        Span<Complex> roots = radix <= 64 ? stackalloc Complex[radix] : new Complex[radix];
        for (var r = 0; r < radix; r++)
        {
            roots[r] = _twiddles[r * (Length / radix)];
        }

        for (var k = 0; k < subLength; k++)
        {
            column[0] = target[k];
            for (var r = 1; r < radix; r++)
            {
                column[r] = target[r * subLength + k] * _twiddles[r * k * step];
            }

            for (var q = 0; q < radix; q++)
            {
                var sum = column[0];
                var rootIndex = 0;
                for (var r = 1; r < radix; r++)
                {
                    rootIndex += q;
                    if (rootIndex >= radix)
                    {
                        rootIndex -= radix;
                    }

                    sum += column[r] * roots[rootIndex];
                }

                target[k + q * subLength] = sum;
            }
        }
    }

    private static int[] Factor(int length)
    {
        var factors = new List<int>();
        var rest = length;
        while (rest % 4 == 0)
        {
            factors.Add(4);
            rest /= 4;
        }

        for (var prime = 2; rest > 1; prime++)
        {
            while (rest % prime == 0)
            {
                factors.Add(prime);
                rest /= prime;
            }
        }

        return factors.ToArray();
    }
}
