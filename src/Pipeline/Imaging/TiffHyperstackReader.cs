using LabelFree.Pipeline.Imaging.Metadata;
using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// The read pipeline: walk the structure, plan from metadata (every check that needs no pixels), then decode
/// plane by plane into float32 volumes, undoing a recorded sample scaling and rejecting non-finite values.
/// </summary>
internal static class TiffHyperstackReader
{
    public static HyperstackFileContent Read(Stream stream, string source, ImageReadOptions options)
    {
        using var seekable = SeekableSource.Open(stream);
        var (structure, pages, plan) = Prepare(seekable.Stream, source, options);
        var image = Decode(seekable.Stream, structure, plan, options, source);
        return new HyperstackFileContent(image, InfoOf(structure, pages, plan, source));
    }

    public static HyperstackFileInfo Inspect(Stream stream, string source, ImageReadOptions options)
    {
        using var seekable = SeekableSource.Open(stream);
        var (structure, pages, plan) = Prepare(seekable.Stream, source, options);
        return InfoOf(structure, pages, plan, source);
    }

    private static (TiffStructure Structure, TiffPageSet Pages, HyperstackReadPlan Plan) Prepare(Stream stream, string source, ImageReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var structure = TiffStructureReader.Read(stream, source);
        var pages = new TiffPageSet(structure, source);
        return (structure, pages, ReadPlanner.Plan(structure, pages, options, source));
    }

    private static Hyperstack Decode(Stream stream, TiffStructure structure, HyperstackReadPlan plan, ImageReadOptions options, string source)
    {
        var shape = plan.Shape;
        var volumes = new Volume[shape.T * shape.C];
        var sample = options.Sample ?? 0;
        var checkFinite = options.RejectNonFiniteValues && plan.FirstPage.IsFloatingPoint;
        using var decoder = new TiffPlaneDecoder(stream, structure, source);
        for (var t = 0; t < shape.T; t++)
        {
            for (var c = 0; c < shape.C; c++)
            {
                var volume = new Volume(shape.Volume);
                for (var z = 0; z < shape.Z; z++)
                {
                    var plane = volume.Plane(z);
                    decoder.Decode(plan.PlanePages[(((t * shape.C) + c) * shape.Z) + z], sample, plane);
                    if (checkFinite)
                    {
                        RejectNonFinite(plane, t, c, z, shape, source);
                    }
                }

                if (plan.ChannelScaling[c] is { } scaling)
                {
                    Unscale(volume.Voxels, scaling);
                    if (options.RejectNonFiniteValues)
                    {
                        RejectNonFiniteScaled(volume, scaling, t, c, source);
                    }
                }

                volumes[(t * shape.C) + c] = volume;
            }
        }

        return new Hyperstack(shape.T, shape.C, volumes, plan.VoxelSize, plan.ChannelNames, plan.FrameIntervalSeconds);
    }

    private static void RejectNonFinite(ReadOnlySpan<float> plane, int t, int c, int z, HyperstackShape shape, string source)
    {
        var index = NonFiniteScan.IndexOfFirst(plane);
        if (index >= 0)
        {
            throw new ImageFileException(source, ImageProblem.NonFiniteValues, FormattableString.Invariant(
                $"voxel t={t} c={c} z={z} y={index / shape.X} x={index % shape.X} is {plane[index]}; the image must hold finite values only."));
        }
    }

    // A scaling annotation is finite on its own but may still map stored integers beyond float's range
    // (scale=1e300), so the values are checked again after unscaling, whatever the sample type.
    private static void RejectNonFiniteScaled(Volume volume, SampleScaling scaling, int t, int c, string source)
    {
        var index = NonFiniteScan.IndexOfFirst(volume.Voxels);
        if (index >= 0)
        {
            var shape = volume.Shape;
            var planeSize = shape.Y * shape.X;
            var inPlane = index % planeSize;
            throw new ImageFileException(source, ImageProblem.NonFiniteValues, FormattableString.Invariant(
                $"the sample scaling of channel {c} ({scaling}) makes voxel t={t} c={c} z={index / planeSize} y={inPlane / shape.X} x={inPlane % shape.X} {volume.Voxels[index]}; the image must hold finite values only."));
        }
    }

    private static void Unscale(Span<float> voxels, SampleScaling scaling)
    {
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = scaling.ToValue(voxels[i]);
        }
    }

    private static HyperstackFileInfo InfoOf(TiffStructure structure, TiffPageSet pages, HyperstackReadPlan plan, string source)
    {
        var first = plan.FirstPage;
        return new HyperstackFileInfo
        {
            Source = source,
            Flavor = plan.Flavor,
            IsBigTiff = structure.IsBigTiff,
            IsBigEndian = !structure.IsLittleEndian,
            SampleType = first.SampleType,
            SamplesPerPixel = first.SamplesPerPixel,
            Compression = first.Compression,
            IsTiled = first.IsTiled,
            PageCount = pages.Count,
            ImageCount = plan.ImageCount,
            Shape = plan.Shape,
            VoxelSize = plan.VoxelSize,
            ZSpacingRecorded = plan.ZSpacingRecorded,
            ChannelNames = plan.ChannelNames ?? Enumerable.Range(0, plan.Shape.C).Select(c => $"C{c}").ToArray(),
            FrameIntervalSeconds = plan.FrameIntervalSeconds,
            ChannelScaling = plan.ChannelScaling,
        };
    }
}
