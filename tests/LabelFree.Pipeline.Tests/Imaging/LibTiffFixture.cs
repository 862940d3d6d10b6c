using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Writes plain multi-page TIFFs straight through LibTiff.NET with a chosen compression, predictor, tiling and
/// byte order: encodings tifffile cannot write without imagecodecs (LZW, PackBits, code 32946, float predictor).
/// </summary>
internal static class LibTiffFixture
{
    public static void Write<T>(string path, IReadOnlyList<T[]> planes, int width, int height, TiffLayout layout)
        where T : unmanaged
    {
        var (bits, format) = typeof(T) == typeof(float) ? (32, SampleFormat.IEEEFP) : typeof(T) == typeof(ushort) ? (16, SampleFormat.UINT) : (8, SampleFormat.UINT);
        var bytesPerSample = bits / 8;
        using var tiff = Tiff.Open(path, layout.BigEndian ? "wb" : "wl") ?? throw new IOException($"LibTiff cannot create {path}.");
        foreach (var plane in planes)
        {
            var bytes = MemoryMarshal.AsBytes(plane.AsSpan()).ToArray();
            tiff.SetField(TiffTag.IMAGEWIDTH, width);
            tiff.SetField(TiffTag.IMAGELENGTH, height);
            tiff.SetField(TiffTag.BITSPERSAMPLE, bits);
            tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
            tiff.SetField(TiffTag.SAMPLEFORMAT, format);
            tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISBLACK);
            tiff.SetField(TiffTag.PLANARCONFIG, PlanarConfig.CONTIG);
            tiff.SetField(TiffTag.COMPRESSION, layout.Compression);
            if (layout.Predictor != Predictor.NONE)
            {
                tiff.SetField(TiffTag.PREDICTOR, layout.Predictor);
            }

            if (layout.Tile is { } tile)
            {
                tiff.SetField(TiffTag.TILEWIDTH, tile);
                tiff.SetField(TiffTag.TILELENGTH, tile);
                WriteTiles(tiff, bytes, width, height, tile, bytesPerSample);
            }
            else
            {
                var rows = layout.RowsPerStrip ?? height;
                tiff.SetField(TiffTag.ROWSPERSTRIP, rows);
                for (int strip = 0, row = 0; row < height; strip++, row += rows)
                {
                    var count = Math.Min(rows, height - row) * width * bytesPerSample;
                    var chunk = bytes.AsSpan(row * width * bytesPerSample, count).ToArray();
                    Check(tiff.WriteEncodedStrip(strip, chunk, count), path);
                }
            }

            if (!tiff.WriteDirectory())
            {
                throw new IOException($"LibTiff cannot write a directory of {path}.");
            }
        }
    }

    private static void WriteTiles(Tiff tiff, byte[] plane, int width, int height, int tile, int bytesPerSample)
    {
        var tileRow = tile * bytesPerSample;
        var index = 0;
        for (var y0 = 0; y0 < height; y0 += tile)
        {
            for (var x0 = 0; x0 < width; x0 += tile, index++)
            {
                // Edge tiles are padded to full size, as the TIFF specification requires.
                var buffer = new byte[tile * tileRow];
                for (var r = 0; r < tile && y0 + r < height; r++)
                {
                    var copy = Math.Min(tile, width - x0) * bytesPerSample;
                    plane.AsSpan(((y0 + r) * width + x0) * bytesPerSample, copy).CopyTo(buffer.AsSpan(r * tileRow));
                }

                Check(tiff.WriteEncodedTile(index, buffer, buffer.Length), "tile");
            }
        }
    }

    private static void Check(int written, string what)
    {
        if (written < 0)
        {
            throw new IOException($"LibTiff failed writing {what}.");
        }
    }
}

/// <summary>How <see cref="LibTiffFixture"/> lays out a file.</summary>
internal sealed record TiffLayout(Compression Compression, Predictor Predictor = Predictor.NONE, int? Tile = null, bool BigEndian = false, int? RowsPerStrip = null);
