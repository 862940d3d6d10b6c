using BitMiracle.LibTiff.Classic;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>
/// Every compression, predictor, tiling and byte order the reader claims decodes to the exact voxels.
/// Big-endian files here carry no predictor: LibTiff.NET 2.4.660 encodes big-endian predictor data wrongly (tifffile
/// and our reader agree on the garbled values); tifffile's own big-endian zlib+predictor file is in WeReadTifffileFilesTests.
/// </summary>
public sealed class TiffEncodingTests : IDisposable
{
    private const int Width = 45;
    private const int Height = 37;
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-encodings");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(Compression.LZW, Predictor.NONE, null, false)]
    [InlineData(Compression.LZW, Predictor.HORIZONTAL, null, false)]
    [InlineData(Compression.LZW, Predictor.NONE, 16, true)]
    [InlineData(Compression.ADOBE_DEFLATE, Predictor.HORIZONTAL, 16, false)]
    [InlineData(Compression.DEFLATE, Predictor.NONE, null, false)]
    [InlineData(Compression.PACKBITS, Predictor.NONE, null, true)]
    [InlineData(Compression.NONE, Predictor.NONE, 32, true)]
    public void UInt16_planes_decode_exactly(Compression compression, Predictor predictor, int? tile, bool bigEndian)
    {
        var planes = Planes(3, seed: 11, (y, x, noise) => (ushort)((y * 300) + (x * 7) + noise));
        var path = Path.Combine(_folder, "u16.tif");
        LibTiffFixture.Write(path, planes, Width, Height, new TiffLayout(compression, predictor, tile, bigEndian, RowsPerStrip: 8));

        var (image, info) = HyperstackFile.ReadWithInfo(path);

        Assert.Equal(new HyperstackShape(1, 1, 3, Height, Width), image.Shape);
        Assert.Equal(planes.SelectMany(p => p).Select(v => (float)v), image[0, 0].Voxels);
        Assert.Equal((TiffCompression)(int)compression, info.Compression);
        Assert.Equal(tile is not null, info.IsTiled);
        Assert.Equal(bigEndian, info.IsBigEndian);
    }

    [Theory]
    [InlineData(Compression.LZW, Predictor.FLOATINGPOINT, null, false)]
    [InlineData(Compression.ADOBE_DEFLATE, Predictor.FLOATINGPOINT, 16, false)]
    [InlineData(Compression.LZW, Predictor.NONE, null, true)]
    [InlineData(Compression.DEFLATE, Predictor.NONE, 16, false)]
    [InlineData(Compression.PACKBITS, Predictor.NONE, null, false)]
    public void Float32_planes_decode_exactly(Compression compression, Predictor predictor, int? tile, bool bigEndian)
    {
        var planes = Planes(2, seed: 5, (y, x, noise) => MathF.Sin(y * 0.1f) + (x * 0.01f) + (noise * 1e-3f));
        var path = Path.Combine(_folder, "f32.tif");
        LibTiffFixture.Write(path, planes, Width, Height, new TiffLayout(compression, predictor, tile, bigEndian));

        var image = HyperstackFile.Read(path);

        Assert.Equal(planes.SelectMany(p => p), image[0, 0].Voxels);
    }

    private static List<T[]> Planes<T>(int count, int seed, Func<int, int, int, T> value)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var plane = new T[Width * Height];
            for (var y = 0; y < Height; y++)
            {
                for (var x = 0; x < Width; x++)
                {
                    plane[(y * Width) + x] = value(y, x, random.Next(0, 100));
                }
            }

            return plane;
        }).ToList();
    }
}
