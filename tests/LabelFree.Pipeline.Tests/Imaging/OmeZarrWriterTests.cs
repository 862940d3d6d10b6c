using System.Text;
using System.Text.Json;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Imaging.Zarr;
using LabelFree.Pipeline.Tests.TestSupport;

namespace LabelFree.Pipeline.Tests.Imaging;

/// <summary>What OmeZarrWriter promises about completeness and chunking, without a Python reader.</summary>
public sealed class OmeZarrWriterTests : IDisposable
{
    private readonly string _folder = TestEnvironment.NewTempFolder("imaging-zarr-writer");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Every_chunk_comes_before_the_array_metadata_and_the_group_comes_last()
    {
        var store = new RecordingStore();
        await OmeZarrWriter.WriteAsync(SampleHyperstacks.Random(1, 2, 3, 8, 8), store, new OmeZarrWriteOptions { MaxChunkBytes = 3 * 8 * 4 * 4 });

        Assert.Equal(["0/.zarray", ".zattrs", ".zgroup"], store.Keys[^3..]);
        Assert.Equal(2 * 2, store.Keys.Count - 3);
        Assert.All(store.Keys[..^3], key => Assert.Matches(@"^0/0/[01]/0/0/[01]$", key));
    }

    [Fact]
    public async Task Without_a_voxel_size_or_frame_interval_the_axes_have_no_units_and_scale_1()
    {
        var store = new RecordingStore();
        await OmeZarrWriter.WriteAsync(SampleHyperstacks.Random(1, 1, 2, 4, 4), store, name: "plain.ome.zarr");

        using var attributes = JsonDocument.Parse(store.Content[".zattrs"]);
        var multiscale = attributes.RootElement.GetProperty("multiscales")[0];
        Assert.Equal("plain.ome.zarr", multiscale.GetProperty("name").GetString());
        Assert.All(multiscale.GetProperty("axes").EnumerateArray(), axis => Assert.False(axis.TryGetProperty("unit", out _)));
        var scale = multiscale.GetProperty("datasets")[0].GetProperty("coordinateTransformations")[0].GetProperty("scale");
        Assert.Equal([1.0, 1.0, 1.0, 1.0, 1.0], scale.EnumerateArray().Select(v => v.GetDouble()));
    }

    [Fact]
    public void Chunks_stay_within_the_byte_budget_and_whole_volumes_fit_when_they_can()
    {
        var small = ZarrChunkGrid.For(new HyperstackShape(1, 1, 4, 64, 64), OmeZarrWriteOptions.DefaultMaxChunkBytes);
        var paper = ZarrChunkGrid.For(new HyperstackShape(1, 1, 64, 624, 924), OmeZarrWriteOptions.DefaultMaxChunkBytes);

        Assert.Equal([1, 1, 4, 64, 64], small.ChunkShape);
        Assert.True(paper.ChunkBytes <= OmeZarrWriteOptions.DefaultMaxChunkBytes);
        Assert.True(paper.ChunkBytes > OmeZarrWriteOptions.DefaultMaxChunkBytes / 8, $"chunk {string.Join('x', paper.ChunkShape)} is needlessly small");
    }

    [Fact]
    public async Task A_store_that_fails_half_way_leaves_nothing_under_its_name()
    {
        var target = Path.Combine(_folder, "cancelled.ome.zarr");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => OmeZarrWriter.WriteAsync(SampleHyperstacks.Random(1, 1, 2, 4, 4), target, cancellationToken: cancellation.Token));

        Assert.False(Directory.Exists(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public async Task Writing_again_replaces_the_previous_store_whole()
    {
        var target = Path.Combine(_folder, "again.ome.zarr");
        await OmeZarrWriter.WriteAsync(SampleHyperstacks.Random(1, 3, 2, 4, 4), target);
        await OmeZarrWriter.WriteAsync(SampleHyperstacks.Random(1, 1, 2, 4, 4), target);

        Assert.Equal(["0"], Directory.EnumerateDirectories(Path.Combine(target, "0")).Select(d => Path.GetFileName(d)!).ToArray());
        Assert.Equal([Path.GetFileName(target)], Directory.EnumerateFileSystemEntries(_folder).Select(Path.GetFileName));
        using var array = JsonDocument.Parse(File.ReadAllText(Path.Combine(target, "0", ".zarray")));
        Assert.Equal([1, 1, 2, 4, 4], array.RootElement.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
    }

    private sealed class RecordingStore : IZarrStore
    {
        public List<string> Keys { get; } = [];

        public Dictionary<string, string> Content { get; } = [];

        public Task WriteAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            Keys.Add(key);
            Content[key] = Encoding.UTF8.GetString(content.Span);
            return Task.CompletedTask;
        }
    }
}
