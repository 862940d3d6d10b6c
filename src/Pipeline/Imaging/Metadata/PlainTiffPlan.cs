using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>A TIFF without ImageJ or OME metadata: every full-resolution page is one z-plane of a single channel.</summary>
internal static class PlainTiffPlan
{
    private const int Centimetre = 3;

    public static HyperstackReadPlan Build(TiffPageSet pages, string source)
    {
        // Thumbnails and pyramid levels are flagged as reduced resolution; they are not planes of the image.
        var planes = Enumerable.Range(0, pages.Count).Where(i => !pages.IsReducedResolution(i)).Select(i => pages[i]).ToArray();
        if (planes.Length == 0)
        {
            planes = [.. pages];
        }

        var first = planes[0];
        HyperstackReadPlan.RequireUniformPages(planes, first, source, ImageProblem.UnsupportedFormat);

        // Only a metric resolution unit describes the specimen; inch-based values are almost always screen dpi.
        var (voxelSize, zRecorded) = first.ResolutionUnit == Centimetre
            ? HyperstackReadPlan.Calibration(1e4 / first.XResolution, 1e4 / first.YResolution, null)
            : (null, false);
        return new HyperstackReadPlan
        {
            Flavor = TiffFlavor.Plain,
            Shape = new HyperstackShape(1, 1, planes.Length, first.Height, first.Width),
            PlanePages = planes,
            VoxelSize = voxelSize,
            ZSpacingRecorded = zRecorded,
            ChannelNames = null,
            FrameIntervalSeconds = null,
            ChannelScaling = HyperstackReadPlan.NoScaling(1),
            ImageCount = 1,
        };
    }
}
