using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using LabelFree.Pipeline.Imaging.Metadata;
using LabelFree.Pipeline.Imaging.TiffFormat;

namespace LabelFree.Pipeline.Imaging;

/// <summary>
/// Writes a hyperstack as OME-TIFF that tifffile, Fiji/Bio-Formats and <see cref="HyperstackFile"/> read: one
/// single-sample IFD per plane in T, C, Z order (DimensionOrder XYZCT), little-endian, OME-XML in the first
/// page's ImageDescription, float32 or scaled uint16, optional Deflate, BigTIFF when the file would pass the
/// threshold. Files are written beside the target under a temporary name and renamed at the end, so a reader
/// never sees a half-written file.
/// </summary>
public static class OmeTiffWriter
{
    // LibTiff.NET addresses a strip with an int; pages beyond this are split into several strips.
    private const long MaxStripBytes = 1L << 30;

    public static void Write(Hyperstack image, string path, OmeTiffWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                WriteTiff(image, stream, Path.GetFileName(target), options ?? OmeTiffWriteOptions.Default);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Writes to a stream from its current position. An empty, seekable, readable stream at position 0 is written in
    /// place (LibTiff seeks and re-reads while linking directories); any other stream gets a copy of a temporary file.
    /// </summary>
    public static void Write(Hyperstack image, Stream destination, OmeTiffWriteOptions? options = null, string name = "image.ome.tiff")
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(destination);
        options ??= OmeTiffWriteOptions.Default;
        if (destination is { CanSeek: true, CanRead: true, CanWrite: true, Position: 0, Length: 0 })
        {
            WriteTiff(image, destination, name, options);
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"labelfree-write-{Guid.NewGuid():N}.ome.tiff");
        using var temporary = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        WriteTiff(image, temporary, name, options);
        temporary.Position = 0;
        temporary.CopyTo(destination);
    }

    private static void WriteTiff(Hyperstack image, Stream stream, string name, OmeTiffWriteOptions options)
    {
        if (options.RowsPerStrip is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "RowsPerStrip must be positive.");
        }

        var uint16 = options.SampleType == OmeTiffSampleType.UInt16;
        var scalings = uint16 ? ChannelScalings(image, options.UInt16Scaling) : null;
        var xml = OmeXmlWriter.Build(image, options.SampleType, scalings, options.ImageName ?? name, Guid.NewGuid());

        var shape = image.Shape;
        var bytesPerSample = uint16 ? 2 : 4;
        var rowBytes = (long)shape.X * bytesPerSample;
        var rowsPerStrip = (int)Math.Min(options.RowsPerStrip ?? shape.Y, Math.Max(1, MaxStripBytes / rowBytes));
        rowsPerStrip = Math.Min(rowsPerStrip, shape.Y);
        var useBigTiff = EstimatedBytes(shape, rowBytes, rowsPerStrip, options.Compress, xml.Length) > options.BigTiffThresholdBytes;

        using var messages = LibTiffMessages.Capture();
        using var tiff = Tiff.ClientOpen(name, useBigTiff ? "w8l" : "wl", stream, new UnclosingTiffStream())
            ?? throw new IOException($"{name}: LibTiff cannot start the file; {messages.Summary()}.");
        var strip = new byte[rowsPerStrip * rowBytes];
        for (var t = 0; t < shape.T; t++)
        {
            for (var c = 0; c < shape.C; c++)
            {
                var volume = image[t, c];
                for (var z = 0; z < shape.Z; z++)
                {
                    var first = t == 0 && c == 0 && z == 0;
                    SetPageTags(tiff, image, options, rowsPerStrip, first ? xml : null);
                    WritePlane(tiff, volume.Plane(z), shape, rowsPerStrip, strip, scalings?[c], name, messages);
                    if (!tiff.WriteDirectory())
                    {
                        throw new IOException($"{name}: writing the directory of plane t={t} c={c} z={z} failed; {messages.Summary()}.");
                    }
                }
            }
        }
    }

    private static void SetPageTags(Tiff tiff, Hyperstack image, OmeTiffWriteOptions options, int rowsPerStrip, string? description)
    {
        var uint16 = options.SampleType == OmeTiffSampleType.UInt16;
        tiff.SetField(TiffTag.SUBFILETYPE, 0);
        tiff.SetField(TiffTag.IMAGEWIDTH, image.Shape.X);
        tiff.SetField(TiffTag.IMAGELENGTH, image.Shape.Y);
        tiff.SetField(TiffTag.BITSPERSAMPLE, uint16 ? 16 : 32);
        tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
        tiff.SetField(TiffTag.SAMPLEFORMAT, uint16 ? SampleFormat.UINT : SampleFormat.IEEEFP);
        tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
        tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
        tiff.SetField(TiffTag.ROWSPERSTRIP, rowsPerStrip);
        tiff.SetField(TiffTag.COMPRESSION, options.Compress ? Compression.ADOBE_DEFLATE : Compression.NONE);
        if (options.Compress && uint16)
        {
            // Horizontal differencing shrinks smooth uint16 images a lot and tifffile undoes it without imagecodecs;
            // the floating-point predictor would need imagecodecs, so float32 is deflated as is.
            tiff.SetField(TiffTag.PREDICTOR, Predictor.HORIZONTAL);
        }

        if (image.VoxelSize is { } size)
        {
            // For readers that ignore OME-XML: pixels per centimetre.
            tiff.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.CENTIMETER);
            tiff.SetField(TiffTag.XRESOLUTION, 1e4 / size.X);
            tiff.SetField(TiffTag.YRESOLUTION, 1e4 / size.Y);
        }

        tiff.SetField(TiffTag.SOFTWARE, "LabelFree");
        if (description is not null)
        {
            tiff.SetField(TiffTag.IMAGEDESCRIPTION, description);
        }
    }

    private static void WritePlane(Tiff tiff, ReadOnlySpan<float> plane, HyperstackShape shape, int rowsPerStrip, byte[] strip,
        SampleScaling? scaling, string name, LibTiffMessages messages)
    {
        var stripCount = (shape.Y + rowsPerStrip - 1) / rowsPerStrip;
        for (var s = 0; s < stripCount; s++)
        {
            var firstRow = s * rowsPerStrip;
            var rows = Math.Min(rowsPerStrip, shape.Y - firstRow);
            var values = plane.Slice(firstRow * shape.X, rows * shape.X);
            int bytes;
            if (scaling is { } map)
            {
                var stored = MemoryMarshal.Cast<byte, ushort>(strip.AsSpan());
                for (var i = 0; i < values.Length; i++)
                {
                    stored[i] = map.ToUInt16(values[i]);
                }

                bytes = values.Length * 2;
            }
            else
            {
                MemoryMarshal.AsBytes(values).CopyTo(strip);
                bytes = values.Length * 4;
            }

            if (tiff.WriteEncodedStrip(s, strip, bytes) < 0)
            {
                throw new IOException($"{name}: writing strip {s} failed; {messages.Summary()}.");
            }
        }
    }

    private static SampleScaling[] ChannelScalings(Hyperstack image, SampleScaling? requested)
    {
        if (requested is { IsValid: false } bad)
        {
            throw new ArgumentException($"The uint16 scaling must have a finite offset and a positive finite scale, got {bad}.", nameof(requested));
        }

        var scalings = new SampleScaling[image.Channels];
        for (var c = 0; c < image.Channels; c++)
        {
            var min = double.PositiveInfinity;
            var max = double.NegativeInfinity;
            for (var t = 0; t < image.Frames; t++)
            {
                var voxels = image[t, c].Voxels;
                if (NonFiniteScan.IndexOfFirst(voxels) >= 0)
                {
                    throw new ArgumentException($"Channel {image.ChannelNames[c]} holds NaN or infinite values, which uint16 cannot store.", nameof(image));
                }

                if (requested is null)
                {
                    foreach (var v in voxels)
                    {
                        min = Math.Min(min, v);
                        max = Math.Max(max, v);
                    }
                }
            }

            scalings[c] = requested ?? SampleScaling.FitToUInt16(min, max);
        }

        return scalings;
    }

    private static long EstimatedBytes(HyperstackShape shape, long rowBytes, int rowsPerStrip, bool compress, int xmlLength)
    {
        var planes = (long)shape.T * shape.C * shape.Z;
        var planeBytes = rowBytes * shape.Y;
        // Deflate can grow incompressible data by a few bytes per 16 KB block; a 1 % margin covers it.
        var stored = compress ? planeBytes + (planeBytes / 100) + 64 : planeBytes;
        var strips = (shape.Y + rowsPerStrip - 1) / rowsPerStrip;
        const long DirectoryBytes = 512;
        return Saturating.Multiply(planes, stored + DirectoryBytes + (strips * 16L)) + xmlLength;
    }
}
