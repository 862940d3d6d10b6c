using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Storage;

/// <summary>The blob-store contract on a temporary local folder, plus what only a folder can show.</summary>
public sealed class LocalFolderBlobStoreTests : BlobStoreContractTests
{
    private readonly string _root = TestEnvironment.NewTempFolder("labelfree-blobs");

    protected override IBlobStore CreateStore() => new LocalFolderBlobStore(_root, Policy);

    public override Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Blobs_are_plain_files_under_a_folder_per_container_and_no_partial_file_stays_behind()
    {
        await Store.UploadAsync(Output("predictions/b1/s1/prediction.ome.tiff"), new MemoryStream([1, 2, 3]), "image/tiff", overwrite: false);
        await Store.TryCreateAsync(Output("predictions/b1/s1/manifest.json"), new byte[] { 4 }, "application/json");

        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root, Outputs, "predictions", "b1", "s1", "prediction.ome.tiff")));
        Assert.Equal([4], await File.ReadAllBytesAsync(Path.Combine(_root, Outputs, "predictions", "b1", "s1", "manifest.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task A_failed_upload_leaves_no_partial_file()
    {
        var source = new FailingStream(new byte[100_000], failAfter: 50_000);

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Store.UploadAsync(Output("predictions/b1/s1/prediction.ome.tiff"), source, "image/tiff", overwrite: false));

        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".partial")));
        Assert.False(Directory.Exists(Path.Combine(_root, Outputs)));
    }

    [Fact]
    public async Task A_file_put_into_the_folder_by_hand_is_listed_and_read()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, Inputs, "plate-1")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "well-A1.tif"), [7, 7]);

        var listed = await Store.ListAsync(Inputs, "");

        var blob = Assert.Single(listed);
        Assert.Equal("plate-1/well-A1.tif", blob.Location.Name);
        Assert.Equal("application/octet-stream", blob.ContentType);
        Assert.Equal([7, 7], await Store.ReadAllBytesAsync(blob.Location));
    }
}
