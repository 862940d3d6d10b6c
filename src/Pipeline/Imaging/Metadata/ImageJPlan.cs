using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// An ImageJ hyperstack: images = channels x slices x frames pages, stored channel fastest, then z, then t.
/// Pixel size comes from X/YResolution (pixels per unit) with the description's unit, z-spacing from "spacing".
/// </summary>
internal static class ImageJPlan
{
    public static HyperstackReadPlan Build(ImageJMetadata imageJ, IReadOnlyList<TiffPage> pages, TiffByteReader reader, string source)
    {
        var images = imageJ.Images ?? pages.Count;
        var onlyImages = imageJ.Channels is null && imageJ.Slices is null && imageJ.Frames is null;
        var channels = imageJ.Channels ?? 1;
        var slices = onlyImages ? images : imageJ.Slices ?? 1;
        var frames = imageJ.Frames ?? 1;
        long[] counts = [images, channels, slices, frames];
        if (counts.Any(c => c < 0 || c > int.MaxValue))
        {
            throw new ImageFileException(source, ImageProblem.Corrupt, "the ImageJ description holds an invalid image count.");
        }

        if (counts.Any(c => c == 0))
        {
            throw new ImageFileException(source, ImageProblem.EmptyDimension, FormattableString.Invariant(
                $"the ImageJ description declares an empty dimension (images={images} channels={channels} slices={slices} frames={frames})."));
        }

        // Saturating: each count fits an int, but their product can wrap a long back to a small number (2147483645 x
        // 2147483633 x 1908874356 wraps to 100) and pass for the image count.
        if (Saturating.Multiply(channels, slices, frames) != images)
        {
            throw new ImageFileException(source, ImageProblem.MetadataMismatch, FormattableString.Invariant(
                $"ImageJ says images={images} but channels x slices x frames = {channels}x{slices}x{frames}."));
        }

        var imagePages = PagesOf(images, pages, reader, source);
        var first = imagePages[0];
        HyperstackReadPlan.RequireUniformPages(imagePages, first, source, ImageProblem.MetadataMismatch);

        int c = (int)channels, z = (int)slices, t = (int)frames;
        var planePages = new TiffPage[images];
        for (var ti = 0; ti < t; ti++)
        {
            for (var zi = 0; zi < z; zi++)
            {
                for (var ci = 0; ci < c; ci++)
                {
                    planePages[(((ti * c) + ci) * z) + zi] = imagePages[(((ti * z) + zi) * c) + ci];
                }
            }
        }

        var unit = PhysicalUnits.MicrometresPer(imageJ.Unit);
        var (voxelSize, zRecorded) = HyperstackReadPlan.Calibration(
            unit / first.XResolution, unit / first.YResolution, unit * imageJ.Spacing);
        return new HyperstackReadPlan
        {
            Flavor = TiffFlavor.ImageJ,
            Shape = new HyperstackShape(t, c, z, first.Height, first.Width),
            PlanePages = planePages,
            VoxelSize = voxelSize,
            ZSpacingRecorded = zRecorded,
            ChannelNames = null,
            FrameIntervalSeconds = imageJ.FrameInterval is > 0 ? imageJ.FrameInterval * PhysicalUnits.SecondsPer(imageJ.TimeUnit ?? "s") : null,
            ChannelScaling = HyperstackReadPlan.NoScaling(c),
            ImageCount = 1,
        };
    }

    private static IReadOnlyList<TiffPage> PagesOf(long images, IReadOnlyList<TiffPage> pages, TiffByteReader reader, string source)
    {
        if (images == pages.Count)
        {
            return pages;
        }

        if (pages.Count == 1 && IsContiguous(pages[0]))
        {
            return ContiguousPages(pages[0], images, reader, source);
        }

        throw new ImageFileException(source, ImageProblem.MetadataMismatch,
            FormattableString.Invariant($"ImageJ says images={images} but the file has {pages.Count} pages."));
    }

    /// <summary>
    /// ImageJ writes stacks over 4 GB with a single IFD and all planes back to back from its first strip (tifffile
    /// reads them the same way). Only a single uncompressed, unbroken page qualifies, so a file that merely lost
    /// pages is reported as a mismatch rather than read as garbage.
    /// </summary>
    private static bool IsContiguous(TiffPage page)
    {
        if (page.Compression != TiffCompression.None || page.IsTiled || page.PlanarSeparate)
        {
            return false;
        }

        for (var i = 1; i < page.ChunksDown; i++)
        {
            if (page.ChunkOffsets[i] != page.ChunkOffsets[i - 1] + page.DecodedChunkBytes(i - 1))
            {
                return false;
            }
        }

        return true;
    }

    private static TiffPage[] ContiguousPages(TiffPage first, long images, TiffByteReader reader, string source)
    {
        var planeBytes = first.PageBufferBytes;
        var start = first.ChunkOffsets[0];
        if (!reader.Contains(start, Saturating.Multiply(planeBytes, images)))
        {
            throw new ImageFileException(source, ImageProblem.Truncated, FormattableString.Invariant(
                $"ImageJ says {images} contiguous planes of {planeBytes} bytes from byte {start}, but the file has {reader.Length} bytes."));
        }

        return Enumerable.Range(0, (int)images).Select(i => first with
        {
            Index = i,
            DirectoryOffset = null,
            ChunkHeight = first.Height,
            ChunkOffsets = [start + (i * planeBytes)],
            ChunkByteCounts = [planeBytes],
            Description = null,
        }).ToArray();
    }
}
