using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// An OME-TIFF: the first Image's Pixels give the sizes and DimensionOrder, TiffData elements map planes to IFDs
/// (by default plane i is IFD i), and every mapped IFD must agree with SizeX, SizeY and Type.
/// </summary>
internal static class OmeTiffPlan
{
    private static readonly string[] Orders = ["XYZCT", "XYZTC", "XYCZT", "XYCTZ", "XYTZC", "XYTCZ"];

    public static HyperstackReadPlan Build(OmeXmlMetadata ome, TiffPageSet pages, string source)
    {
        var sizeX = Required(ome.SizeX, "SizeX", source);
        var sizeY = Required(ome.SizeY, "SizeY", source);
        var sizeZ = Required(ome.SizeZ, "SizeZ", source);
        var sizeC = Required(ome.SizeC, "SizeC", source);
        var sizeT = Required(ome.SizeT, "SizeT", source);
        if (!Orders.Contains(ome.DimensionOrder, StringComparer.Ordinal))
        {
            throw new ImageFileException(source, ImageProblem.Corrupt, $"OME DimensionOrder \"{ome.DimensionOrder}\" is not one of {string.Join(", ", Orders)}.");
        }

        var expectedType = ExpectedSampleType(ome.PixelType, source);

        // RGB OME-TIFFs count every sample as a channel but store the samples of one pixel in one IFD.
        var samples = pages[0].SamplesPerPixel;
        var planeChannels = samples > 1 && sizeC % samples == 0 ? sizeC / samples : sizeC;
        var planeCount = Saturating.Multiply(sizeZ, planeChannels, sizeT);
        var fullPages = Enumerable.Range(0, pages.Count).Count(i => !pages.IsReducedResolution(i));
        if (planeCount > pages.Count || (ome.ImageCount == 1 && ome.TiffData.Count == 0 && planeCount != fullPages))
        {
            throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                $"OME-XML describes {sizeZ}x{planeChannels}x{sizeT} (ZxCxT) = {planeCount} planes but the file has {pages.Count} pages."));
        }

        var order = new PlaneOrder(ome.DimensionOrder, sizeZ, planeChannels, sizeT);
        var pageOfPlane = MapPlanesToPages(ome, order, pages.Count, source);

        int z = (int)sizeZ, c = (int)planeChannels, t = (int)sizeT;
        var planePages = new TiffPage[planeCount];
        for (var plane = 0; plane < planeCount; plane++)
        {
            var page = pages[pageOfPlane[plane]];
            if (page.Width != sizeX || page.Height != sizeY)
            {
                throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                    $"OME-XML says {sizeX}x{sizeY} pixels but page {page.Index} is {page.Width}x{page.Height}."));
            }

            if (expectedType is { } type && page.SampleType != type)
            {
                throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                    $"OME-XML says Type=\"{ome.PixelType}\" but page {page.Index} holds {page.SampleType} samples."));
            }

            var (zi, ci, ti) = order.Coordinates(plane);
            planePages[(((ti * c) + ci) * z) + zi] = page;
        }

        HyperstackReadPlan.RequireUniformPages(planePages, planePages[0], source, ImageProblem.MetadataMismatch);
        var (voxelSize, zRecorded) = HyperstackReadPlan.Calibration(ome.PhysicalSizeX, ome.PhysicalSizeY, ome.PhysicalSizeZ);
        var channels = ome.Channels.Count == c ? ome.Channels : null;
        return new HyperstackReadPlan
        {
            Flavor = TiffFlavor.OmeTiff,
            Shape = new HyperstackShape(t, c, z, (int)sizeY, (int)sizeX),
            PlanePages = planePages,
            VoxelSize = voxelSize,
            ZSpacingRecorded = zRecorded,
            ChannelNames = channels?.Select((channel, i) => string.IsNullOrWhiteSpace(channel.Name) ? $"C{i}" : channel.Name).ToArray(),
            FrameIntervalSeconds = ome.TimeIncrementSeconds,
            ChannelScaling = channels?.Select(channel => ScalingOf(channel, ome)).ToArray() ?? HyperstackReadPlan.NoScaling(c),
            ImageCount = ome.ImageCount,
        };
    }

    private static int[] MapPlanesToPages(OmeXmlMetadata ome, PlaneOrder order, int pageCount, string source)
    {
        var pageOfPlane = new int[order.Count];
        if (ome.TiffData.Count == 0)
        {
            for (var i = 0; i < pageOfPlane.Length; i++)
            {
                pageOfPlane[i] = i;
            }

            return pageOfPlane;
        }

        Array.Fill(pageOfPlane, -1);
        foreach (var data in ome.TiffData)
        {
            if (data.FileUuid is { Length: > 0 } uuid && !string.Equals(uuid, ome.Uuid, StringComparison.OrdinalIgnoreCase))
            {
                throw new ImageFileException(source, ImageProblem.UnsupportedFormat,
                    $"planes are stored in another file ({uuid}); multi-file OME-TIFF sets are not read.");
            }

            if (data.FirstZ >= order.SizeZ || data.FirstC >= order.SizeC || data.FirstT >= order.SizeT)
            {
                throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                    $"a TiffData element starts at plane Z={data.FirstZ} C={data.FirstC} T={data.FirstT}, outside {order.SizeZ}x{order.SizeC}x{order.SizeT}."));
            }

            var firstPlane = order.Index(data.FirstZ, data.FirstC, data.FirstT);
            var firstIfd = data.Ifd ?? 0;
            // OME-TIFF rule: without PlaneCount, one plane when IFD is given, else all remaining IFDs.
            var count = data.PlaneCount ?? (data.Ifd is null ? pageCount - firstIfd : 1);
            for (long k = 0; k < count && firstPlane + k < order.Count; k++)
            {
                var ifd = firstIfd + k;
                if (ifd >= pageCount)
                {
                    throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                        $"OME TiffData maps a plane to IFD {ifd} but the file has {pageCount} pages."));
                }

                pageOfPlane[firstPlane + k] = (int)ifd;
            }
        }

        var missing = Array.IndexOf(pageOfPlane, -1);
        if (missing >= 0)
        {
            var (z, c, t) = order.Coordinates(missing);
            throw new ImageFileException(source, ImageProblem.MetadataMismatch,
                FormattableString.Invariant($"OME TiffData maps no IFD to plane Z={z} C={c} T={t}."));
        }

        return pageOfPlane;
    }

    private static SampleScaling? ScalingOf(OmeChannel channel, OmeXmlMetadata ome) =>
        channel.AnnotationIds.Select(id => ome.Scalings.TryGetValue(id, out var s) ? s : (SampleScaling?)null)
            .FirstOrDefault(s => s is not null);

    private static long Required(long? size, string name, string source) => size switch
    {
        null => throw new ImageFileException(source, ImageProblem.Corrupt, $"the OME-XML Pixels element has no {name}."),
        0 => throw new ImageFileException(source, ImageProblem.EmptyDimension, $"the OME-XML says {name}=0."),
        > int.MaxValue => throw new ImageFileException(source, ImageProblem.TooLarge,
            FormattableString.Invariant($"the OME-XML says {name}={size}, more than any array can hold.")),
        _ => size.Value,
    };

    private static PixelSampleType? ExpectedSampleType(string? type, string source) => type?.Trim().ToLowerInvariant() switch
    {
        "uint8" => PixelSampleType.UInt8,
        "int8" => PixelSampleType.Int8,
        "uint16" => PixelSampleType.UInt16,
        "int16" => PixelSampleType.Int16,
        "uint32" => PixelSampleType.UInt32,
        "int32" => PixelSampleType.Int32,
        // The schema says "float"/"double"; older writers (tifffile 2017, pytorch_fnet) wrote numpy names.
        "float" or "float32" => PixelSampleType.Float32,
        "double" or "float64" => PixelSampleType.Float64,
        "complex" or "double-complex" or "complex64" or "complex128" => throw new ImageFileException(source, ImageProblem.UnsupportedFormat,
            $"OME Pixels Type=\"{type}\" is complex, not an intensity image."),
        "bit" => throw new ImageFileException(source, ImageProblem.UnsupportedFormat, "OME Pixels Type=\"bit\" (1-bit masks) is not read."),
        _ => null,
    };

    /// <summary>Plane index arithmetic for one DimensionOrder: the first of Z/C/T after "XY" varies fastest.</summary>
    private sealed class PlaneOrder
    {
        private readonly char[] _axes;
        private readonly long[] _sizes;

        public PlaneOrder(string dimensionOrder, long sizeZ, long sizeC, long sizeT)
        {
            SizeZ = sizeZ;
            SizeC = sizeC;
            SizeT = sizeT;
            _axes = dimensionOrder[2..].ToCharArray();
            _sizes = _axes.Select(a => a switch { 'Z' => sizeZ, 'C' => sizeC, _ => sizeT }).ToArray();
        }

        public long SizeZ { get; }

        public long SizeC { get; }

        public long SizeT { get; }

        public int Count => (int)(SizeZ * SizeC * SizeT);

        public long Index(long z, long c, long t)
        {
            long Of(char axis) => axis switch { 'Z' => z, 'C' => c, _ => t };
            return Of(_axes[0]) + (_sizes[0] * (Of(_axes[1]) + (_sizes[1] * Of(_axes[2]))));
        }

        public (int Z, int C, int T) Coordinates(long plane)
        {
            var first = plane % _sizes[0];
            var rest = plane / _sizes[0];
            var second = rest % _sizes[1];
            var third = rest / _sizes[1];
            long Of(char axis) => axis == _axes[0] ? first : axis == _axes[1] ? second : third;
            return ((int)Of('Z'), (int)Of('C'), (int)Of('T'));
        }
    }
}
