using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// Decides how to read a TIFF: OME-XML wins over ImageJ metadata, which wins over a plain page stack. Then checks,
/// from the headers alone, the sample choice, the size against the caps, and that the data lies inside the file.
/// </summary>
internal static class ReadPlanner
{
    public static HyperstackReadPlan Plan(TiffStructure structure, TiffPageSet pages, ImageReadOptions options, string source)
    {
        if (pages.Count == 0)
        {
            throw new ImageFileException(source, ImageProblem.EmptyDimension, "the TIFF holds no pages.");
        }

        var description = pages.FirstDescription;
        var plan = OmeXmlMetadata.LooksLikeOme(description)
            ? OmeTiffPlan.Build(OmeXmlMetadata.Parse(description!, source), pages, source)
            : ImageJMetadata.TryParse(description) is { } imageJ
                ? ImageJPlan.Build(imageJ, pages, structure.Reader, source)
                : PlainTiffPlan.Build(pages, source);

        CheckSample(plan.FirstPage, options, source);
        CheckSize(plan, options, source);
        foreach (var page in plan.PlanePages.Distinct())
        {
            TiffChunkBounds.EnsureInsideFile(page, structure.Reader, source);
        }

        return plan;
    }

    private static void CheckSample(TiffPage page, ImageReadOptions options, string source)
    {
        if (options.Sample is not { } sample)
        {
            if (page.SamplesPerPixel > 1)
            {
                throw new ImageFileException(source, ImageProblem.UnsupportedFormat, FormattableString.Invariant(
                    $"pixels have {page.SamplesPerPixel} samples (RGB or interleaved channels); choose one with ImageReadOptions.Sample."));
            }

            return;
        }

        if (sample < 0 || sample >= page.SamplesPerPixel)
        {
            throw new ImageFileException(source, ImageProblem.ChannelOutOfRange, FormattableString.Invariant(
                $"sample {sample} was requested but pixels have {page.SamplesPerPixel} sample(s)."));
        }
    }

    private static void CheckSize(HyperstackReadPlan plan, ImageReadOptions options, string source)
    {
        var shape = plan.Shape;
        var voxels = Saturating.Multiply(shape.T, shape.C, shape.Z, shape.Y, shape.X);
        if (voxels > options.MaxVoxels)
        {
            throw new ImageFileException(source, ImageProblem.TooLarge, FormattableString.Invariant(
                $"the image has {shape} = {voxels} voxels, over the limit of {options.MaxVoxels}."));
        }

        // Pages are decoded whole tiles at a time, so a tile's padding beyond the image is memory too: a 1x1 image may
        // declare 23168 x 23168 tiles, gigabytes per page from a few bytes of file. Count what decoding really holds.
        var page = plan.FirstPage;
        var paddedPlane = page.IsTiled
            ? Saturating.Multiply((long)page.ChunksDown * page.ChunkHeight, (long)page.ChunksAcross * page.ChunkWidth)
            : Saturating.Multiply(page.Height, page.Width);
        var decoded = Saturating.Multiply(shape.T, shape.C, shape.Z, paddedPlane);
        if (decoded > options.MaxVoxels)
        {
            throw new ImageFileException(source, ImageProblem.TooLarge, FormattableString.Invariant(
                $"the image has {shape} voxels stored in {page.ChunkWidth}x{page.ChunkHeight} tiles, which decode to {decoded} voxels with their padding, over the limit of {options.MaxVoxels}."));
        }

        var volume = Saturating.Multiply(shape.Z, shape.Y, shape.X);
        var tileBytes = page.IsTiled ? page.DecodedChunkBytes(0) : 0;
        if (volume > Array.MaxLength || page.PageBufferBytes > Array.MaxLength || tileBytes > Array.MaxLength)
        {
            throw new ImageFileException(source, ImageProblem.TooLarge, FormattableString.Invariant(
                $"one volume of {shape.Z}x{shape.Y}x{shape.X} voxels (or one page of {page.PageBufferBytes} bytes) exceeds the largest array .NET can hold."));
        }
    }
}
