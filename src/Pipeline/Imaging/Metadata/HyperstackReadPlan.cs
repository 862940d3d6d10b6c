using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// What to read and how to label it: the hyperstack shape, the page that holds each (t, c, z) plane, and the
/// calibration the metadata gave. Built from headers alone, before any pixel memory is allocated.
/// </summary>
internal sealed record HyperstackReadPlan
{
    public required TiffFlavor Flavor { get; init; }

    public required HyperstackShape Shape { get; init; }

    /// <summary>The page of plane (t, c, z) at index (t * C + c) * Z + z.</summary>
    public required IReadOnlyList<TiffPage> PlanePages { get; init; }

    public required VoxelSize? VoxelSize { get; init; }

    public required bool ZSpacingRecorded { get; init; }

    /// <summary>One name per channel, or null for the default names C0, C1, ...</summary>
    public required IReadOnlyList<string>? ChannelNames { get; init; }

    public required double? FrameIntervalSeconds { get; init; }

    public required IReadOnlyList<SampleScaling?> ChannelScaling { get; init; }

    public required int ImageCount { get; init; }

    public TiffPage FirstPage => PlanePages[0];

    /// <summary>
    /// A voxel size from per-axis sizes in µm: none without an XY pixel size; cubic voxels (Z = X) when the z-spacing
    /// is unknown, which is exact for a single plane and flagged through <see cref="ZSpacingRecorded"/>.
    /// </summary>
    public static (VoxelSize? Size, bool ZRecorded) Calibration(double? x, double? y, double? z)
    {
        if (x is not (> 0 and < double.PositiveInfinity))
        {
            return (null, false);
        }

        var yValue = y is > 0 and < double.PositiveInfinity ? y.Value : x.Value;
        var zRecorded = z is > 0 and < double.PositiveInfinity;
        return (new VoxelSize(zRecorded ? z!.Value : x.Value, yValue, x.Value), zRecorded);
    }

    public static IReadOnlyList<SampleScaling?> NoScaling(long channels) => new SampleScaling?[channels];

    /// <summary>Rejects a series whose pages differ in size or sample layout.</summary>
    public static void RequireUniformPages(IEnumerable<TiffPage> pages, TiffPage first, string source, ImageProblem problem)
    {
        var odd = pages.FirstOrDefault(p => p.Width != first.Width || p.Height != first.Height
            || p.SampleType != first.SampleType || p.SamplesPerPixel != first.SamplesPerPixel);
        if (odd is not null)
        {
            throw new ImageFileException(source, problem, FormattableString.Invariant(
                $"page {odd.Index} is {odd.Width}x{odd.Height} {odd.SampleType} x{odd.SamplesPerPixel} but page {first.Index} is {first.Width}x{first.Height} {first.SampleType} x{first.SamplesPerPixel}."));
        }
    }
}
