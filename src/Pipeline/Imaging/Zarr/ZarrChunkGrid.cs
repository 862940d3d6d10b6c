namespace LabelFree.Pipeline.Imaging.Zarr;

/// <summary>
/// How a T, C, Z, Y, X image is cut into chunks: one time point and one channel per chunk, and a Z, Y, X block
/// no larger than a byte budget (the largest axis halved until it fits), so a reader fetches a few MB at a time
/// and a plane-by-plane viewer such as napari does not read the whole volume for one plane.
/// </summary>
public sealed record ZarrChunkGrid(HyperstackShape Shape, int ChunkZ, int ChunkY, int ChunkX)
{
    public const int BytesPerVoxel = sizeof(float);

    public int[] ChunkShape => [1, 1, ChunkZ, ChunkY, ChunkX];

    public long ChunkBytes => (long)ChunkZ * ChunkY * ChunkX * BytesPerVoxel;

    public int ChunksZ => Blocks(Shape.Z, ChunkZ);

    public int ChunksY => Blocks(Shape.Y, ChunkY);

    public int ChunksX => Blocks(Shape.X, ChunkX);

    public static ZarrChunkGrid For(HyperstackShape shape, long maxChunkBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChunkBytes, BytesPerVoxel);
        int z = shape.Z, y = shape.Y, x = shape.X;
        while ((long)z * y * x * BytesPerVoxel > maxChunkBytes)
        {
            // Halve the largest side (X before Y before Z on ties): chunks stay near-cubic within each plane.
            if (x >= y && x >= z)
            {
                x = (x + 1) / 2;
            }
            else if (y >= z)
            {
                y = (y + 1) / 2;
            }
            else
            {
                z = (z + 1) / 2;
            }
        }

        return new ZarrChunkGrid(shape, z, y, x);
    }

    /// <summary>
    /// The voxels of chunk (bz, by, bx) of one volume in C order, full chunk size: Zarr v2 stores edge chunks
    /// whole, and the part outside the image holds the fill value 0.
    /// </summary>
    public void CopyChunk(Volume volume, int bz, int by, int bx, Span<float> chunk)
    {
        chunk.Clear();
        var z0 = bz * ChunkZ;
        var y0 = by * ChunkY;
        var x0 = bx * ChunkX;
        var width = Math.Min(ChunkX, Shape.X - x0);
        for (var z = 0; z < Math.Min(ChunkZ, Shape.Z - z0); z++)
        {
            var plane = volume.Plane(z0 + z);
            for (var y = 0; y < Math.Min(ChunkY, Shape.Y - y0); y++)
            {
                plane.Slice(((y0 + y) * Shape.X) + x0, width).CopyTo(chunk.Slice(((z * ChunkY) + y) * ChunkX, width));
            }
        }
    }

    private static int Blocks(int size, int chunk) => (size + chunk - 1) / chunk;
}
