using System.Security.Cryptography;
using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Tests.TestSupport;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Storage;
using LabelFree.Worker.Tests.TestServices;
using LabelFree.Worker.Tests.TestSupport;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// The stack protocol's guarantees under races and stops, on the real broker and Azurite: a manifest's output never
/// changes once named, a result whose announcement never went out is announced as computed, a blob over the size
/// cap is rejected from its properties, and an OME-Zarr output reads back in Python's zarr as the OME-TIFF does.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class StackProtocolTests(RabbitMqBroker broker, AzuriteBlobService azurite)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private static readonly string ZarrCrossCheck = Path.Combine(
        TestEnvironment.RepositoryRoot, "tests", "LabelFree.Pipeline.Tests", "Imaging", "python", "zarr_crosscheck.py");

    [SkippableFact]
    public async Task Two_workers_racing_on_one_stack_leave_the_manifests_output_unchanged_and_matching_its_hash()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var race = new ManifestRace();
        await bed.StartWorkerAsync(StagedBlobStore.Wrap(store => race.Join(store, 0)));
        await bed.StartWorkerAsync(StagedBlobStore.Wrap(store => race.Join(store, 1)));
        var input = await bed.UploadInputAsync("race.ome.tiff", TestStacks.OmeTiff());

        // Two deliveries of one request: with prefetch 1, each worker takes one.
        await bed.PublishAsync(bed.Stack("race", input));
        await bed.PublishAsync(bed.Stack("race", input));
        var events = (await bed.Events.WaitForAsync(e => e.StackId == "race", 2, Patience)).Select(e => e.Predicted!).ToArray();

        Assert.NotEqual(-1, race.Winner);
        var manifest = StackManifest.Parse((await bed.OutputBlob("predictions/batch-1/race/manifest.json").DownloadContentAsync()).Value.Content.ToArray(), "manifest");
        var stored = (await bed.OutputBlob(manifest.Output.Location.Name).DownloadContentAsync()).Value;
        Assert.Equal(manifest.Output.Sha256, Convert.ToHexStringLower(SHA256.HashData(stored.Content.ToArray())));
        Assert.All(events, e => Assert.Equal(manifest.Output.Location, e.Output));

        // The loser's outputs are gone, the winner's are the only ones under the stack, and they stay as they were.
        var names = await bed.OutputNamesAsync();
        Assert.Equal([manifest.Output.Location.Name], names.Where(n => n.Contains("/attempt-", StringComparison.Ordinal)));
        Assert.Equal(stored.Details.ETag, (await bed.OutputBlob(manifest.Output.Location.Name).GetPropertiesAsync()).Value.ETag);
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_duplicate_arriving_while_its_original_computes_steps_back_and_is_answered_from_the_originals_manifest()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var deferrals = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaseChecks = 0;
        var uploads = new int[2];
        var firstToCommit = -1;

        // Whichever worker reaches its manifest first (the original) is held there until the other one has found
        // the original's lease twice (it stepped back and came again); the other one must never compute.
        Action<StagedBlobStore> Stage(int worker) => store =>
        {
            store.AfterOutputUpload = _ => Interlocked.Increment(ref uploads[worker]);
            store.BeforePropertiesRead = location =>
            {
                if (location.Name.EndsWith("/lease.json", StringComparison.Ordinal) && Interlocked.Increment(ref leaseChecks) >= 2)
                {
                    deferrals.TrySetResult();
                }
            };
            store.BeforeManifestCreate = async _ =>
            {
                if (Interlocked.CompareExchange(ref firstToCommit, worker, -1) == -1)
                {
                    await deferrals.Task.WaitAsync(Patience);
                }
            };
        };
        await bed.StartWorkerAsync(StagedBlobStore.Wrap(Stage(0)));
        await bed.StartWorkerAsync(StagedBlobStore.Wrap(Stage(1)));
        var input = await bed.UploadInputAsync("lease.ome.tiff", TestStacks.OmeTiff());

        await bed.PublishAsync(bed.Stack("leased", input));
        await bed.PublishAsync(bed.Stack("leased", input));
        var events = (await bed.Events.WaitForAsync(e => e.StackId == "leased", 2, Patience)).Select(e => e.Predicted!).ToArray();

        Assert.NotEqual(-1, firstToCommit);
        Assert.True(leaseChecks >= 2);
        Assert.Equal(0, uploads[1 - firstToCommit]);
        Assert.Equal(events[0].Output, events[1].Output);
        Assert.DoesNotContain(await bed.OutputNamesAsync(), name => name.EndsWith("/lease.json", StringComparison.Ordinal));
        Assert.DoesNotContain(bed.Events.All, e => e.IsFault);
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_result_committed_but_never_published_is_announced_as_computed_and_only_then_counts_as_reused()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var stopped = 0;

        // The first attempt stops right after its manifest exists, before anything is published (as a worker
        // killed there would): a transient storage failure sends the message back for another delivery.
        await bed.StartWorkerAsync(StagedBlobStore.Wrap(store => store.AfterManifestCreate = (location, created) =>
        {
            if (created && Interlocked.Exchange(ref stopped, 1) == 0)
            {
                throw new StorageUnavailableException("create", location.ToString(), new IOException("test: the worker stops between the manifest and the publish"));
            }
        }));
        var input = await bed.UploadInputAsync("stop.ome.tiff", TestStacks.OmeTiff());
        var message = bed.Stack("stop", input);

        await bed.PublishAsync(message);
        var first = (await bed.Events.WaitForAsync(e => e.StackId == "stop", Patience)).Predicted!;
        var manifest = StackManifest.Parse((await bed.OutputBlob(first.Manifest.Name).DownloadContentAsync()).Value.Content.ToArray(), "manifest");
        await bed.PublishAsync(message);
        var second = (await bed.Events.WaitForAsync(e => e.StackId == "stop", 2, Patience))[1].Predicted!;

        Assert.Equal(1, stopped);
        Assert.False(first.Reused);
        Assert.Equal(JsonSerializer.Serialize(manifest.Prediction), JsonSerializer.Serialize(first));
        Assert.True(second.Reused);
        Assert.Equal(first with { Reused = true }, second with { Channels = first.Channels, Timings = first.Timings, InputShape = first.InputShape, OutputShape = first.OutputShape });
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_stack_refused_by_storage_credentials_waits_in_the_queue_and_completes_once_they_work_again()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var refusals = 0;

        // Storage answers 403 to the first three reads of the input, as during a key rotation until the secret is fixed.
        var worker = await bed.StartWorkerAsync(StagedBlobStore.Wrap(store => store.BeforePropertiesRead = location =>
        {
            if (location.Name == "rotation.ome.tiff" && Interlocked.Increment(ref refusals) <= 3)
            {
                throw new StorageAccessDeniedException("properties", location.ToString(), 403, new IOException("AuthenticationFailed"));
            }
        }));
        using var denied = new WorkerCounter(worker, "labelfree.storage.access_denied");
        var input = await bed.UploadInputAsync("rotation.ome.tiff", TestStacks.OmeTiff());

        await bed.PublishAsync(bed.Stack("rotation", input));
        var predicted = (await bed.Events.WaitForAsync(e => e.StackId == "rotation", Patience)).Predicted;

        Assert.NotNull(predicted);
        Assert.False(predicted.Reused);
        Assert.True(refusals > 3);
        Assert.True(denied.Count >= 1, "labelfree_storage_access_denied_total did not count the refused attempt");
        Assert.DoesNotContain(bed.Events.All, e => e.IsFault || e.Rejected is not null);
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task A_message_naming_the_workers_own_prediction_as_input_is_refused_as_not_allowed()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        await bed.StartWorkerAsync();
        var input = await bed.UploadInputAsync("first.ome.tiff", TestStacks.OmeTiff());
        await bed.PublishAsync(bed.Stack("first", input));
        var first = (await bed.Events.WaitForAsync(e => e.StackId == "first", Patience)).Predicted!;

        await bed.PublishAsync(bed.Stack("fed-back", first.Output));
        var rejected = (await bed.Events.WaitForAsync(e => e.StackId == "fed-back", Patience)).Rejected;

        Assert.NotNull(rejected);
        Assert.Equal(RejectionReason.LocationNotAllowed, rejected.Reason);
        Assert.Contains("stack inputs", rejected.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task An_input_blob_over_the_size_cap_is_rejected_as_too_large_from_its_properties()
    {
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var good = TestStacks.OmeTiff();
        bed.Settings["LabelFree:Storage:MaxInputBytes"] = (good.Length + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await bed.StartWorkerAsync();
        var big = await bed.UploadInputAsync("big.ome.tiff", [.. good, .. new byte[2]]);
        var fits = await bed.UploadInputAsync("fits.ome.tiff", good);

        await bed.PublishAsync(bed.Stack("big", big));
        await bed.PublishAsync(bed.Stack("fits", fits));
        var rejected = (await bed.Events.WaitForAsync(e => e.StackId == "big", Patience)).Rejected;
        var predicted = (await bed.Events.WaitForAsync(e => e.StackId == "fits", Patience)).Predicted;

        Assert.NotNull(rejected);
        Assert.Equal(RejectionReason.TooLarge, rejected.Reason);
        Assert.Contains("LabelFree:Storage:MaxInputBytes", rejected.Message, StringComparison.Ordinal);
        Assert.NotNull(predicted);
        Assert.Single(bed.Events.All, e => e.StackId == "big");
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task With_the_ome_zarr_setting_the_store_reads_back_in_python_zarr_with_the_ome_tiffs_values()
    {
        DebianPython.RequireModules(["zarr", "numcodecs", "tifffile", "numpy"], "python3-zarr python3-numcodecs python3-tifffile python3-numpy");
        await using var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        bed.Settings["LabelFree:Output:Format"] = "OmeZarr";
        var zarrWorker = await bed.StartWorkerAsync();
        var image = TestStacks.Image(frames: 2);
        var input = await bed.UploadInputAsync("zarr.ome.tiff", TestStacks.Encode(image));

        await bed.PublishAsync(bed.Stack("as-zarr", input));
        var zarr = (await bed.Events.WaitForAsync(e => e.StackId == "as-zarr", Patience)).Predicted!;
        await bed.StopWorkerAsync(zarrWorker);
        bed.Settings["LabelFree:Output:Format"] = "OmeTiff";
        await bed.StartWorkerAsync();
        await bed.PublishAsync(bed.Stack("as-tiff", input));
        var tiff = (await bed.Events.WaitForAsync(e => e.StackId == "as-tiff", Patience)).Predicted!;

        Assert.Equal(OutputFormat.OmeZarr, zarr.OutputFormat);
        Assert.EndsWith("/prediction.ome.zarr", zarr.Output.Name, StringComparison.Ordinal);
        var manifest = StackManifest.Parse((await bed.OutputBlob(zarr.Manifest.Name).DownloadContentAsync()).Value.Content.ToArray(), "manifest");
        Assert.Equal(OutputFormat.OmeZarr, manifest.Output.Format);
        Assert.Equal(zarr.Output, manifest.Output.Location);

        // Copy the store's blobs into a folder and read it with Debian's python3-zarr, as a user would after a download.
        var folder = TestEnvironment.NewTempFolder("labelfree-zarr");
        try
        {
            var storeFolder = Path.Combine(folder, "prediction.ome.zarr");
            foreach (var name in (await bed.OutputNamesAsync()).Where(n => n.StartsWith(zarr.Output.Name + "/", StringComparison.Ordinal)))
            {
                var path = Path.Combine(storeFolder, name[(zarr.Output.Name.Length + 1)..]);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, (await bed.OutputBlob(name).DownloadContentAsync()).Value.Content.ToArray());
            }

            var tiffPath = Path.Combine(folder, "prediction.ome.tiff");
            await File.WriteAllBytesAsync(tiffPath, (await bed.OutputBlob(tiff.Output.Name).DownloadContentAsync()).Value.Content.ToArray());
            using var read = JsonDocument.Parse(DebianPython.RunScript(ZarrCrossCheck, "describe", storeFolder, tiffPath));
            var facts = read.RootElement;

            Assert.True(facts.GetProperty("equal_to_tiff").GetBoolean(), $"the store and the OME-TIFF hold different values: {facts}");
            Assert.Equal([2, 2, 16, 32, 32], facts.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal(["t", "c", "z", "y", "x"], facts.GetProperty("axes").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
            Assert.Equal(["dna", "membrane"], facts.GetProperty("channel_names").EnumerateArray().Select(c => c.GetString()));
            var voxel = HyperstackFile.Read(tiffPath).VoxelSize!.Value;
            Assert.Equal([voxel.Z, voxel.Y, voxel.X], facts.GetProperty("scale").EnumerateArray().Skip(2).Select(v => v.GetDouble()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
