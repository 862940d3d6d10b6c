using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>Debian's zarr-python (an independent reader) opens what OmeZarrWriter writes, with the OME-TIFF's values.</summary>
public sealed class ZarrReadsOurStoresTests : IDisposable
{
    private static readonly string Script = Path.Combine(
        TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Imaging", "python", "zarr_crosscheck.py");

    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-zarr-reads");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SkippableFact]
    public async Task A_time_series_store_has_the_OME_TIFFs_values_axes_units_scale_and_channel_names()
    {
        DebianPython.RequireModules(["zarr", "numcodecs", "tifffile", "numpy"], "python3-zarr python3-numcodecs python3-tifffile python3-numpy");
        var image = SampleHyperstacks.Random(2, 3, 5, 42, 37, voxelSize: new VoxelSize(0.29, 0.108, 0.108),
            channelNames: ["dna", "membrane", "µ-tubulin"], frameIntervalSeconds: 4);
        // A small chunk budget: 4 x 4 chunks of 11 x 10 per plane, the last row and column of chunks only partly inside.
        var facts = await WriteBothAndDescribe(image, new OmeZarrWriteOptions { MaxChunkBytes = 3 * 16 * 16 * 4 });

        Assert.True(facts.GetProperty("equal_to_tiff").GetBoolean(), $"zarr and tifffile read different values: {facts}");
        Assert.Equal([2, 3, 5, 42, 37], Ints(facts.GetProperty("shape")));
        Assert.Equal("float32", facts.GetProperty("dtype").GetString());
        Assert.Equal([1, 1, 5, 11, 10], Ints(facts.GetProperty("chunks")));
        Assert.Equal(2 * 3 * 4 * 4, facts.GetProperty("chunk_files").GetInt32());
        Assert.Equal("zlib", facts.GetProperty("compressor").GetString());
        Assert.Equal("0.4", facts.GetProperty("ngff_version").GetString());
        Assert.Equal(SampleHyperstacks.Sum(image), facts.GetProperty("sum").GetDouble(), 6);
        var axes = facts.GetProperty("axes").EnumerateArray().ToList();
        Assert.Equal(["t", "c", "z", "y", "x"], axes.Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(["time", "channel", "space", "space", "space"], axes.Select(a => a.GetProperty("type").GetString()));
        Assert.Equal("second", axes[0].GetProperty("unit").GetString());
        Assert.False(axes[1].TryGetProperty("unit", out _));
        Assert.All(axes[2..], a => Assert.Equal("micrometer", a.GetProperty("unit").GetString()));
        Assert.Equal([4.0, 1.0, 0.29, 0.108, 0.108], Doubles(facts.GetProperty("scale")));
        Assert.Equal(["dna", "membrane", "µ-tubulin"], facts.GetProperty("channel_names").EnumerateArray().Select(c => c.GetString()));
    }

    [SkippableFact]
    public async Task A_large_volume_is_cut_into_chunks_of_at_most_the_budget()
    {
        DebianPython.RequireModules(["zarr", "numcodecs", "tifffile", "numpy"], "python3-zarr python3-numcodecs python3-tifffile python3-numpy");
        var image = SampleHyperstacks.Random(1, 1, 24, 300, 280, voxelSize: VoxelSize.PaperIsotropic, channelNames: ["dna"]);
        var facts = await WriteBothAndDescribe(image, new OmeZarrWriteOptions { MaxChunkBytes = 1024 * 1024 });

        var chunks = Ints(facts.GetProperty("chunks"));
        Assert.True(facts.GetProperty("equal_to_tiff").GetBoolean(), $"zarr and tifffile read different values: {facts}");
        Assert.Equal([1, 1, 24, 300, 280], Ints(facts.GetProperty("shape")));
        Assert.True(chunks[2] * chunks[3] * chunks[4] * 4 <= 1024 * 1024, $"chunk {string.Join('x', chunks)} is over 1 MiB");
        Assert.True(facts.GetProperty("largest_chunk_file_bytes").GetInt64() <= 1024 * 1024 + 1024);
        Assert.True(facts.GetProperty("chunk_files").GetInt32() > 1);
    }

    private async Task<JsonElement> WriteBothAndDescribe(Hyperstack image, OmeZarrWriteOptions options)
    {
        var store = Path.Combine(_folder, "image.ome.zarr");
        var tiff = Path.Combine(_folder, "image.ome.tiff");
        await OmeZarrWriter.WriteAsync(image, store, options);
        OmeTiffWriter.Write(image, tiff);
        using var document = JsonDocument.Parse(DebianPython.RunScript(Script, "describe", store, tiff));
        return document.RootElement.Clone();
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
}
