using System.Numerics;
using LabelFree.Simulation;

namespace LabelFree.Pipeline.Tests.Simulation;

public class FourierTransformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(30)]
    [InlineData(64)]
    [InlineData(150)]
    public void Forward_transform_equals_the_textbook_dft_and_inverse_returns_the_input(int length)
    {
        var input = Enumerable.Range(0, length).Select(j => new Complex(Math.Sin(0.3 * j * j) + j % 5, Math.Cos(1.7 * j))).ToArray();
        var transform = new FourierTransform(length);
        var spectrum = new Complex[length];
        var back = new Complex[length];

        transform.Transform(input, spectrum, inverse: false);
        transform.Transform(spectrum, back, inverse: true);

        for (var k = 0; k < length; k++)
        {
            var expected = Complex.Zero;
            for (var j = 0; j < length; j++)
            {
                expected += input[j] * Complex.Exp(new Complex(0, -2 * Math.PI * j * k / length));
            }

            Assert.True((spectrum[k] - expected).Magnitude < 1e-9 * length, $"Bin {k} of {length}: {spectrum[k]} vs {expected}.");
            Assert.True((back[k] - input[k]).Magnitude < 1e-12 * length, $"Sample {k} of {length} did not come back.");
        }
    }

    [Fact]
    public void A_2d_transform_puts_a_plane_wave_into_one_bin()
    {
        var (height, width) = (12, 20);
        var data = new Complex[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                data[y * width + x] = Complex.Exp(new Complex(0, 2 * Math.PI * (3.0 * x / width + 2.0 * y / height)));
            }
        }

        FourierTransform.Transform2D(data, new FourierTransform(width), new FourierTransform(height), inverse: false);

        for (var i = 0; i < data.Length; i++)
        {
            var expected = i == 2 * width + 3 ? height * width : 0;
            Assert.True((data[i] - expected).Magnitude < 1e-9, $"Bin {i} holds {data[i]}.");
        }
    }

    [Theory]
    [InlineData(97, 100)]
    [InlineData(151, 160)]
    [InlineData(128, 128)]
    [InlineData(1, 1)]
    public void Smooth_lengths_have_only_factors_two_three_and_five(int minimum, int expected)
    {
        Assert.Equal(expected, FourierTransform.SmoothLength(minimum));
    }
}
