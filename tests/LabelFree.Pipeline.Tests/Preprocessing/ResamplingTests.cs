using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Preprocessing;

namespace LabelFree.Pipeline.Tests.Preprocessing;

public class ResamplingTests
{
    /// <summary>
    /// Tolerance against scipy, in the units of the data (values span -6 … 6.5). scipy computes in float64; we
    /// keep float32 between axis passes and in the output, so the result can differ by a few float32 steps
    /// (one step is 4.8e-7 at |v| = 4; measured worst difference 4.0e-7). Any algorithmic difference (wrong
    /// boundary, wrong sample positions, missing prefilter) shows up as 1e-2 or more on this rough data.
    /// </summary>
    private const double ScipyTolerance = 2e-6;

    public static TheoryData<string> ScipyCases => ["LineDown", "LineUp", "AllAxes", "YXOnly"];

    [Theory]
    [MemberData(nameof(ScipyCases))]
    public void Resample_to_a_shape_matches_scipy_zoom_order3_nearest(string name)
    {
        var (inputShape, outputShape, expected) = Case(name);

        var result = Resampling.Resample(ScipyZoomReference.Input(inputShape), ScipyZoomReference.Shape(outputShape));

        Assert.Equal(ScipyZoomReference.Shape(outputShape), result.Shape);
        AssertClose(expected, result.Voxels, ScipyTolerance);
    }

    [Fact]
    public void Resample_by_voxel_size_matches_scipy_for_the_papers_anisotropic_voxels()
    {
        var (inputShape, outputShape, expected) = Case("PaperVoxels");
        var input = ScipyZoomReference.Input(inputShape);

        var result = Resampling.Resample(input, new VoxelSize(0.29, 0.108, 0.108), VoxelSize.PaperIsotropic);

        Assert.Equal(ScipyZoomReference.Shape(outputShape), result.Shape);
        AssertClose(expected, result.Voxels, ScipyTolerance);
    }

    [Fact]
    public void Papers_624_by_924_plane_at_0_108_um_becomes_232_by_344_with_z_untouched()
    {
        var shape = Resampling.ResampledShape(new VolumeShape(60, 624, 924), new VoxelSize(0.29, 0.108, 0.108), VoxelSize.PaperIsotropic);

        Assert.Equal(new VolumeShape(60, 232, 344), shape);
    }

    [Fact]
    public void Z_is_not_mixed_when_only_yx_voxel_sizes_differ()
    {
        // Each plane holds its own constant: if Z were interpolated, planes would bleed into each other.
        var input = new Volume(new VolumeShape(3, 62, 92));
        for (var z = 0; z < 3; z++)
        {
            input.Plane(z).Fill(10f * (z + 1));
        }

        var result = Resampling.Resample(input, new VoxelSize(0.29, 0.108, 0.108), VoxelSize.PaperIsotropic);

        Assert.Equal(new VolumeShape(3, 23, 34), result.Shape);
        for (var z = 0; z < 3; z++)
        {
            foreach (var value in result.Plane(z))
            {
                Assert.Equal(10.0 * (z + 1), value, 4);
            }
        }
    }

    [Fact]
    public void Equal_voxel_sizes_return_the_same_volume_untouched()
    {
        var input = ScipyZoomReference.Input([4, 5, 6]);
        var before = (float[])input.Voxels.Clone();

        var result = Resampling.Resample(input, new VoxelSize(0.29, 0.29, 0.29), new VoxelSize(0.29, 0.29, 0.2900000001));

        Assert.Same(input, result);
        Assert.Equal(before, result.Voxels);
    }

    [Fact]
    public void Equal_target_shape_returns_the_same_volume()
    {
        var input = ScipyZoomReference.Input([4, 5, 6]);

        Assert.Same(input, Resampling.Resample(input, input.Shape));
    }

    [Fact]
    public void An_axis_whose_length_is_kept_keeps_its_voxels_bit_for_bit()
    {
        // Only X changes: every (z, y) line must be resampled on its own, and a target X equal to the input's
        // gives back the exact input voxels.
        var input = ScipyZoomReference.Input([2, 3, 20]);
        var widened = Resampling.Resample(input, new VolumeShape(2, 3, 20));
        var lineOnItsOwn = Resampling.Resample(new Volume(new VolumeShape(1, 1, 20), input.Voxels.AsSpan(20, 20).ToArray()), new VolumeShape(1, 1, 7));
        var resized = Resampling.Resample(input, new VolumeShape(2, 3, 7));

        Assert.Equal(input.Voxels, widened.Voxels);
        Assert.Equal(lineOnItsOwn.Voxels, resized.Voxels.AsSpan(7, 7).ToArray());
    }

    [Fact]
    public void Cubic_spline_reproduces_a_quadratic_away_from_the_edges()
    {
        // Cubic B-spline interpolation reproduces polynomials up to degree 3 exactly; edge handling disturbs
        // only a few samples near each end (the prefilter's influence decays as 0.268^distance).
        const int length = 90;
        var input = new Volume(new VolumeShape(1, 1, length));
        for (var x = 0; x < length; x++)
        {
            input.Voxels[x] = (float)Quadratic(x);
        }

        var result = Resampling.Resample(input, new VolumeShape(1, 1, 61));

        var step = (length - 1) / 60.0;
        for (var j = 0; j < 61; j++)
        {
            var position = j * step;
            if (position < 20 || position > length - 1 - 20)
            {
                continue;
            }

            Assert.Equal(Quadratic(position), result.Voxels[j], 3e-4);
        }
    }

    [Fact]
    public void Downsampling_a_smooth_signal_follows_the_analytic_function()
    {
        // A wave of period 40 voxels sampled at 0.108 µm and brought to 0.29 µm: cubic interpolation error
        // is of order (2π/40)^4 ≈ 6e-4 of the amplitude, edges included thanks to the 'nearest' extension
        // of a signal whose slope there is small.
        var input = new Volume(new VolumeShape(1, 40, 120));
        for (var y = 0; y < 40; y++)
        {
            for (var x = 0; x < 120; x++)
            {
                input[0, y, x] = (float)Wave(y, x);
            }
        }

        var result = Resampling.Resample(input, new VoxelSize(1, 0.108, 0.108), new VoxelSize(1, 0.29, 0.29));

        Assert.Equal(new VolumeShape(1, 15, 45), result.Shape);
        var stepY = 39.0 / 14.0;
        var stepX = 119.0 / 44.0;
        for (var y = 0; y < 15; y++)
        {
            for (var x = 0; x < 45; x++)
            {
                var expected = Wave(y * stepY, x * stepX);
                var interior = y * stepY is > 4 and < 35 && x * stepX is > 4 and < 115;
                Assert.Equal(expected, result[0, y, x], interior ? 2e-3 : 3e-2);
            }
        }
    }

    [Fact]
    public void Round_trip_to_the_model_grid_and_back_restores_the_input_shape_and_smooth_content()
    {
        var input = new Volume(new VolumeShape(2, 62, 92));
        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 62; y++)
            {
                for (var x = 0; x < 92; x++)
                {
                    input[z, y, x] = (float)(Wave(y * 0.25, x * 0.25) + z);
                }
            }
        }

        var modelGrid = Resampling.Resample(input, new VoxelSize(0.29, 0.108, 0.108), VoxelSize.PaperIsotropic);
        var back = Resampling.Resample(modelGrid, input.Shape);

        Assert.Equal(new VolumeShape(2, 23, 34), modelGrid.Shape);
        Assert.Equal(input.Shape, back.Shape);
        for (var z = 0; z < 2; z++)
        {
            for (var y = 0; y < 62; y++)
            {
                for (var x = 0; x < 92; x++)
                {
                    // Near an edge the 'nearest' extension bends a sloped signal; inside, only interpolation error remains.
                    var nearEdge = y < 10 || y > 51 || x < 10 || x > 81;
                    Assert.Equal(input[z, y, x], back[z, y, x], nearEdge ? 2e-2 : 1e-3);
                }
            }
        }
    }

    [Fact]
    public void A_voxel_size_that_leaves_no_voxels_is_rejected_with_the_axis_named()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            Resampling.ResampledShape(new VolumeShape(1, 1, 2), new VoxelSize(1, 1, 0.1), new VoxelSize(1, 1, 1)));

        Assert.Contains("axis X", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_voxel_sizes_and_shapes_are_rejected()
    {
        var input = ScipyZoomReference.Input([1, 2, 2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.Resample(input, new VoxelSize(0, 1, 1), VoxelSize.PaperIsotropic));
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampling.Resample(input, new VolumeShape(1, 0, 2)));
    }

    private static double Quadratic(double x) => 0.01 * x * x - 0.3 * x + 2;

    private static double Wave(double y, double x) => Math.Sin(2 * Math.PI * x / 40) * Math.Cos(2 * Math.PI * y / 40);

    private static (int[] Input, int[] Output, double[] Expected) Case(string name) => name switch
    {
        "LineDown" => (ScipyZoomReference.LineDownInputShape, ScipyZoomReference.LineDownOutputShape, ScipyZoomReference.LineDownOutput),
        "LineUp" => (ScipyZoomReference.LineUpInputShape, ScipyZoomReference.LineUpOutputShape, ScipyZoomReference.LineUpOutput),
        "AllAxes" => (ScipyZoomReference.AllAxesInputShape, ScipyZoomReference.AllAxesOutputShape, ScipyZoomReference.AllAxesOutput),
        "YXOnly" => (ScipyZoomReference.YXOnlyInputShape, ScipyZoomReference.YXOnlyOutputShape, ScipyZoomReference.YXOnlyOutput),
        "PaperVoxels" => (ScipyZoomReference.PaperVoxelsInputShape, ScipyZoomReference.PaperVoxelsOutputShape, ScipyZoomReference.PaperVoxelsOutput),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown scipy case."),
    };

    private static void AssertClose(double[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var worstIndex = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual[i]);
            if (difference > worst)
            {
                worst = difference;
                worstIndex = i;
            }
        }

        Assert.True(worst <= tolerance, FormattableString.Invariant(
            $"Largest difference {worst:E3} at index {worstIndex} (expected {(worstIndex >= 0 ? expected[worstIndex] : 0)}) exceeds {tolerance:E1}."));
    }
}
