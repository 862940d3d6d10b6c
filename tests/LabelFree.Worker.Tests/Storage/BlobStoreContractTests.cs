using System.Text;
using LabelFree.Messages;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Tests.Storage;

/// <summary>
/// What every <see cref="IBlobStore"/> must do, run against each implementation (one subclass each),
/// so the local folder used in embedded mode behaves like Azure Blob in production.
/// </summary>
public abstract class BlobStoreContractTests : IAsyncLifetime
{
    private IBlobStore? _store;

    protected BlobStoreContractTests()
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        Inputs = $"in-{suffix}";
        Outputs = $"out-{suffix}";
        Models = $"models-{suffix}";
        Policy = new BlobLocationPolicy(
        [
            new StorageArea(Inputs, ""),
            new StorageArea(Outputs, PredictionLayout.PredictionsPrefix),
            new StorageArea(Models, PredictionLayout.ModelsPrefix),
        ]);
    }

    /// <summary>Unique per test, so tests sharing one Azurite never see each other's blobs.</summary>
    protected string Inputs { get; }

    protected string Outputs { get; }

    protected string Models { get; }

    protected BlobLocationPolicy Policy { get; }

    /// <summary>Created inside the test body, so a missing service skips the test instead of failing its set-up.</summary>
    protected IBlobStore Store => _store ??= CreateStore();

    protected abstract IBlobStore CreateStore();

    public Task InitializeAsync() => Task.CompletedTask;

    public abstract Task DisposeAsync();

    [SkippableFact]
    public async Task An_uploaded_blob_downloads_byte_for_byte()
    {
        // Over the 8 MiB single-shot limit, so the Azure store sends parallel blocks.
        var content = RandomBytes(9 * 1024 * 1024 + 17, seed: 1);
        var location = Input("plate-1/well-A1.tif");

        await Store.UploadAsync(location, new MemoryStream(content), "image/tiff", overwrite: false);
        using var downloaded = new MemoryStream();
        await Store.DownloadAsync(location, downloaded);

        Assert.Equal(content, downloaded.ToArray());
        Assert.Equal(content, await Store.ReadAllBytesAsync(location));
    }

    [SkippableFact]
    public async Task A_download_writes_from_the_destination_position_on()
    {
        var content = RandomBytes(1000, seed: 2);
        var location = Input("a.bin");
        await Store.UploadAsync(location, new MemoryStream(content), "application/octet-stream", overwrite: false);
        using var destination = new MemoryStream();
        destination.Write([9, 9, 9]);

        await Store.DownloadAsync(location, destination);

        Assert.Equal(new byte[] { 9, 9, 9 }.Concat(content).ToArray(), destination.ToArray());
    }

    [SkippableFact]
    public async Task Content_type_metadata_and_length_are_kept()
    {
        var location = Output("predictions/b1/s1/prediction.ome.tiff");
        var metadata = new Dictionary<string, string> { ["sha256"] = new('c', 64), ["stack_id"] = "s1" };

        await Store.UploadAsync(location, new MemoryStream(RandomBytes(4321, seed: 3)), "image/tiff", overwrite: false, metadata);
        var stored = await Store.GetPropertiesAsync(location);

        Assert.Equal(location, stored.Location);
        Assert.Equal(4321, stored.Length);
        Assert.Equal("image/tiff", stored.ContentType);
        Assert.Equal(new string('c', 64), stored.Metadata["sha256"]);
        Assert.Equal("s1", stored.Metadata["stack_id"]);
        Assert.InRange(stored.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [SkippableFact]
    public async Task A_blob_exists_only_after_it_is_uploaded_and_not_after_it_is_deleted()
    {
        var location = Output("predictions/b1/s1/manifest.json");

        Assert.False(await Store.ExistsAsync(location));
        await Store.UploadAsync(location, Utf8("{}"), "application/json", overwrite: false);
        Assert.True(await Store.ExistsAsync(location));

        Assert.True(await Store.DeleteAsync(location));
        Assert.False(await Store.ExistsAsync(location));
        Assert.False(await Store.DeleteAsync(location));
    }

    [SkippableFact]
    public async Task Listing_a_prefix_returns_exactly_the_blobs_under_it_in_name_order()
    {
        foreach (var name in new[]
                 {
                     "predictions/b1/s2/manifest.json", "predictions/b1/s1/manifest.json", "predictions/b1/s1/prediction.ome.tiff",
                     "predictions/b10/s1/manifest.json", "predictions/b2/s1/manifest.json",
                 })
        {
            await Store.UploadAsync(Output(name), Utf8(name), "text/plain", overwrite: false);
        }

        var listed = await Store.ListAsync(Outputs, "predictions/b1/");

        Assert.Equal(
            ["predictions/b1/s1/manifest.json", "predictions/b1/s1/prediction.ome.tiff", "predictions/b1/s2/manifest.json"],
            listed.Select(b => b.Location.Name));
        Assert.All(listed, b => Assert.Equal(Outputs, b.Location.Container));
        Assert.Equal("predictions/b1/s1/manifest.json".Length, listed[0].Length);
        Assert.Equal("text/plain", listed[0].ContentType);
    }

    [SkippableFact]
    public async Task Listing_a_container_that_was_never_written_is_empty()
    {
        Assert.Empty(await Store.ListAsync(Outputs, "predictions/"));
        Assert.False(await Store.ExistsAsync(Output("predictions/b/s/manifest.json")));
    }

    [SkippableFact]
    public async Task An_upload_without_overwrite_refuses_an_existing_blob_and_keeps_it()
    {
        var location = Output("predictions/b1/s1/prediction.ome.tiff");
        await Store.UploadAsync(location, Utf8("first"), "text/plain", overwrite: false);

        var refused = await Assert.ThrowsAsync<BlobAlreadyExistsException>(() =>
            Store.UploadAsync(location, Utf8("second"), "text/plain", overwrite: false));

        Assert.Equal(location, refused.Location);
        Assert.Equal("first", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(location)));
    }

    [SkippableFact]
    public async Task An_upload_with_overwrite_replaces_the_blob()
    {
        var location = Output("predictions/b1/s1/prediction.ome.tiff");
        await Store.UploadAsync(location, Utf8("first"), "text/plain", overwrite: false);

        await Store.UploadAsync(location, Utf8("second, longer"), "text/csv", overwrite: true);

        Assert.Equal("second, longer", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(location)));
        Assert.Equal("text/csv", (await Store.GetPropertiesAsync(location)).ContentType);
    }

    [SkippableFact]
    public async Task An_upload_whose_source_fails_leaves_no_blob()
    {
        var location = Output("predictions/b1/s1/prediction.ome.tiff");
        var source = new FailingStream(RandomBytes(3 * 1024 * 1024, seed: 4), failAfter: 1024 * 1024);

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Store.UploadAsync(location, source, "image/tiff", overwrite: false));

        Assert.False(await Store.ExistsAsync(location));
        Assert.Empty(await Store.ListAsync(Outputs, "predictions/"));
    }

    [SkippableFact]
    public async Task Create_if_absent_creates_once_and_never_replaces()
    {
        var location = Output("predictions/b1/s1/manifest.json");
        var metadata = new Dictionary<string, string> { ["kind"] = "manifest" };

        Assert.True(await Store.TryCreateAsync(location, Encoding.UTF8.GetBytes("{\"n\":1}"), "application/json", metadata));
        Assert.False(await Store.TryCreateAsync(location, Encoding.UTF8.GetBytes("{\"n\":2}"), "application/json"));

        Assert.Equal("{\"n\":1}", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(location)));
        var stored = await Store.GetPropertiesAsync(location);
        Assert.Equal("application/json", stored.ContentType);
        Assert.Equal("manifest", stored.Metadata["kind"]);
    }

    [SkippableFact]
    public async Task Of_concurrent_creators_exactly_one_wins_and_its_content_is_stored()
    {
        var location = Output("predictions/b1/s1/manifest.json");
        var contents = Enumerable.Range(0, 8).Select(i => Encoding.UTF8.GetBytes($"{{\"writer\":{i}}}")).ToArray();

        var created = await Task.WhenAll(contents.Select(c => Task.Run(() => Store.TryCreateAsync(location, c, "application/json"))));

        Assert.Single(created, c => c);
        var winner = Array.IndexOf(created, true);
        Assert.Equal(contents[winner], await Store.ReadAllBytesAsync(location));
    }

    [SkippableFact]
    public async Task Reading_a_missing_blob_names_it_in_a_typed_exception()
    {
        var location = Input("plate-9/missing.tif");

        var download = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.DownloadAsync(location, new MemoryStream()));
        var read = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.ReadAllBytesAsync(location));
        var properties = await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.GetPropertiesAsync(location));

        Assert.Equal(location, download.Location);
        Assert.Equal(location, read.Location);
        Assert.Equal(location, properties.Location);
        Assert.Contains("plate-9/missing.tif", download.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_missing_blob_in_an_existing_container_is_also_not_found()
    {
        await Store.UploadAsync(Input("present.tif"), Utf8("x"), "image/tiff", overwrite: false);

        await Assert.ThrowsAsync<BlobNotFoundException>(() => Store.ReadAllBytesAsync(Input("absent.tif")));
    }

    public static TheoryData<string, string, string> ForbiddenLocations => new()
    {
        { "inputs", "../secrets.txt", "'..' segment" },
        { "inputs", "a/../../etc/passwd", "'..' segment" },
        { "inputs", "./a.tif", "'.' or '..' segment" },
        { "inputs", "/etc/passwd", "absolute" },
        { "inputs", "a\\b.tif", "backslash" },
        { "inputs", "a//b.tif", "empty segment" },
        { "inputs", "a/", "empty segment" },
        { "inputs", "", "empty" },
        { "inputs", "a\nb.tif", "control character" },
        { "inputs", new string('a', 1025), "longer than 1024" },
        { "inputs", new string('a', 256) + ".tif", "longer than 255 bytes" },
        { "other", "a.tif", "not one of the configured containers" },
        { "", "a.tif", "container is empty" },
        { "outputs", "elsewhere/b/s/prediction.ome.tiff", "outside the allowed prefixes" },
        { "outputs", "predictions", "outside the allowed prefixes" },
        { "models", "predictions/b/s/manifest.json", "outside the allowed prefixes" },
    };

    [SkippableTheory]
    [MemberData(nameof(ForbiddenLocations))]
    public async Task A_forbidden_location_is_refused_before_storage_is_touched(string area, string name, string reason)
    {
        var location = new BlobLocation { Container = ContainerFor(area), Name = name };

        var upload = await Assert.ThrowsAsync<LocationNotAllowedException>(() =>
            Store.UploadAsync(location, Utf8("x"), "text/plain", overwrite: true));
        await Assert.ThrowsAsync<LocationNotAllowedException>(() => Store.ReadAllBytesAsync(location));
        await Assert.ThrowsAsync<LocationNotAllowedException>(() => Store.ExistsAsync(location));
        await Assert.ThrowsAsync<LocationNotAllowedException>(() => Store.TryCreateAsync(location, new byte[1], "text/plain"));

        Assert.Contains(reason, upload.Reason, StringComparison.Ordinal);
        Assert.Empty(await Store.ListAsync(Inputs, ""));
    }

    [SkippableTheory]
    [InlineData("outputs", "")]
    [InlineData("outputs", "pred")]
    [InlineData("outputs", "predictions/../")]
    [InlineData("other", "")]
    public async Task Listing_outside_an_allowed_area_is_refused(string area, string prefix)
    {
        await Assert.ThrowsAsync<LocationNotAllowedException>(() => Store.ListAsync(ContainerFor(area), prefix));
    }

    [SkippableFact]
    public async Task Names_anywhere_in_the_input_container_are_allowed_including_dots_and_spaces()
    {
        var location = Input("2024-05-01/plate 3/well B4.v2.ome.tiff");

        await Store.UploadAsync(location, Utf8("tiff"), "image/tiff", overwrite: false);

        Assert.Equal("tiff", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync(location)));
        Assert.Equal([location.Name], (await Store.ListAsync(Inputs, "2024-05-01/")).Select(b => b.Location.Name));
    }

    [SkippableFact]
    public async Task Metadata_azure_would_refuse_is_refused_by_every_store()
    {
        var location = Output("predictions/b1/s1/manifest.json");

        await Assert.ThrowsAsync<ArgumentException>(() => Store.UploadAsync(
            location, Utf8("x"), "text/plain", overwrite: false, new Dictionary<string, string> { ["weights-sha256"] = "a" }));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.TryCreateAsync(
            location, new byte[1], "text/plain", new Dictionary<string, string> { ["note"] = "café" }));

        Assert.False(await Store.ExistsAsync(location));
    }

    [SkippableFact]
    public async Task A_download_into_a_stream_that_cannot_rewind_is_refused()
    {
        var location = Input("a.tif");
        await Store.UploadAsync(location, Utf8("x"), "image/tiff", overwrite: false);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.DownloadAsync(location, new ForwardOnlyStream()));
    }

    protected BlobLocation Input(string name) => new() { Container = Inputs, Name = name };

    protected BlobLocation Output(string name) => new() { Container = Outputs, Name = name };

    private string ContainerFor(string area) => area switch
    {
        "inputs" => Inputs,
        "outputs" => Outputs,
        "models" => Models,
        _ => area,
    };

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
