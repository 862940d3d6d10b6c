namespace LabelFree.Pipeline.Imaging.Metadata;

/// <summary>
/// One OME TiffData element: <paramref name="PlaneCount"/> planes, starting at plane (FirstZ, FirstC, FirstT) and
/// running in the image's DimensionOrder, are stored in consecutive IFDs starting at <paramref name="Ifd"/>.
/// </summary>
/// <param name="FileUuid">The UUID element's text when the planes live in a file named by UUID (multi-file sets).</param>
internal sealed record OmeTiffData(long? Ifd, long FirstZ, long FirstC, long FirstT, long? PlaneCount, string? FileUuid);
