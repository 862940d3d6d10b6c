using System.Text.Json;
using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Models;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Registration;
using LabelFree.Simulation;
using LabelFree.Worker.Consumers;
using LabelFree.Worker.Storage;
using LabelFree.Worker.Tests.TestServices;
using LabelFree.Worker.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace LabelFree.Worker.Tests.EndToEnd;

/// <summary>
/// An EM stack with a reference IF image through a real worker (RabbitMQ and Azurite): a tiny 2D "mbp" model predicts
/// IF from a simulated micrograph, the worker registers it into the simulated IF image and publishes EmRegistered.
/// One test trains the model briefly (30 iterations, a few seconds) on other simulated tissue and checks the placement
/// against the simulator's truth; the others use a random model, which predicts nothing registrable, and check the
/// plumbing against the same steps run directly.
/// </summary>
[Collection(WorkerServicesCollection.Name)]
public sealed class EmRegistrationEndToEndTests(RabbitMqBroker broker, AzuriteBlobService azurite, ITestOutputHelper output)
{
    private const string Structure = "mbp";
    private const double EmPixelMicrometres = 0.05;
    private const int TrainingIterations = 30;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly Lazy<SimulatedRegistrationScene> Scene = new(() => Simulate(seed: 3));

    [SkippableFact]
    public async Task A_briefly_trained_em_model_lets_the_worker_place_the_micrograph_within_one_pixel_of_the_truth()
    {
        // Trained on other tissue than the one it is tested on: the model must generalise, not remember.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var training = new[] { 101, 102, 103 }.Select(seed => Simulate(seed)).Select(s => (s.ElectronMicrograph, s.MovingImmunofluorescence)).ToArray();
        output.WriteLine($"simulation: {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();
        await using var bed = await EmBedAsync(folder => TinyModels.SaveTrained2D(folder, Structure, training, EmPixelMicrometres, TrainingIterations));
        output.WriteLine($"training and worker start: {clock.Elapsed.TotalSeconds:0.0} s");
        var (em, reference) = await UploadSceneAsync(bed);

        await bed.PublishAsync(EmStack(bed, "em-trained", em, reference));
        var registered = (await bed.Events.WaitForAsync(e => e.StackId == "em-trained", Patience)).Registered;

        Assert.NotNull(registered);
        Assert.Equal(Messages.RegistrationOutcome.Registered, registered.Outcome);
        var t = registered.Transform!;
        var found = new Pipeline.Registration.AffineTransform2D(t.M00, t.M01, t.M02, t.M10, t.M11, t.M12);
        var truth = Pipeline.Registration.AffineTransform2D.FromMatrix(Scene.Value.Truth.ToMatrix());
        var error = RegistrationError.MeanDisplacement(found, truth, Scene.Value.ElectronMicrograph.Width, Scene.Value.ElectronMicrograph.Height);
        output.WriteLine($"error {error:0.###} fixed px, quality {registered.Quality:0.###}, registration {registered.RegistrationSeconds:0.###} s");
        Assert.True(error < 1, $"mean displacement error {error:0.###} fixed pixels");
        Assert.NotNull(registered.Overlay);
    }

    [SkippableFact]
    public async Task Two_workers_racing_on_one_em_stack_leave_the_winners_outputs_named_by_the_manifest_unchanged()
    {
        var race = new ManifestRace();
        await using var bed = await EmBedAsync(null, StagedBlobStore.Wrap(store => race.Join(store, 0)), StagedBlobStore.Wrap(store => race.Join(store, 1)));
        var (em, reference) = await UploadSceneAsync(bed);

        await bed.PublishAsync(EmStack(bed, "em-race", em, reference));
        await bed.PublishAsync(EmStack(bed, "em-race", em, reference));
        var events = (await bed.Events.WaitForAsync(e => e.StackId == "em-race", 2, Patience)).Select(e => e.Registered!).ToArray();

        Assert.NotEqual(-1, race.Winner);
        var manifest = StackManifest.Parse(await DownloadAsync(bed, "predictions/batch-1/em-race/manifest.json"), "manifest");
        Assert.Equal(manifest.Output.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await DownloadAsync(bed, manifest.Output.Location.Name))));
        Assert.All(events, e => Assert.Equal(manifest.Output.Location, e.Prediction));
        var winnerFolder = manifest.Output.Location.Name[..(manifest.Output.Location.Name.LastIndexOf('/') + 1)];
        Assert.All((await bed.OutputNamesAsync()).Where(n => n.Contains("/attempt-", StringComparison.Ordinal)),
            name => Assert.StartsWith(winnerFolder, name, StringComparison.Ordinal));
        Assert.StartsWith(winnerFolder, events[0].Result!.Name, StringComparison.Ordinal);
        Assert.Null(await bed.GetFromQueueAsync("stack-acquired_error"));
    }

    [SkippableFact]
    public async Task An_em_stack_with_a_reference_publishes_EmRegistered_after_writing_prediction_result_and_manifest()
    {
        await using var bed = await EmBedAsync();
        var (em, reference) = await UploadSceneAsync(bed);
        var worker = bed.Workers.Single();
        using var predicted = new WorkerCounter(worker, "labelfree.stacks.predicted");
        using var converged = new WorkerCounter(worker, "labelfree.stacks.registered", new("outcome", "converged"));
        using var notConverged = new WorkerCounter(worker, "labelfree.stacks.registered", new("outcome", "not_converged"));

        await bed.PublishAsync(EmStack(bed, "em-1", em, reference));
        var registered = (await bed.Events.WaitForAsync(e => e.StackId == "em-1", Patience)).Registered;

        Assert.NotNull(registered);
        Assert.False(registered.Reused);

        // Counted as a registration under its outcome, never as a prediction (the counter follows the publish).
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            while (converged.Count + notConverged.Count == 0 && !deadline.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None);
            }
        }

        Assert.Equal(registered.Converged ? (1, 0) : (0, 1), (converged.Count, notConverged.Count));
        Assert.Equal(0, predicted.Count);
        Assert.Matches("^predictions/batch-1/em-1/attempt-[^/]+/prediction.ome.tiff$", registered.Prediction!.Name);
        Assert.Equal(registered.Prediction.Name.Replace("prediction.ome.tiff", "registration.json", StringComparison.Ordinal), registered.Result!.Name);
        Assert.Equal("predictions/batch-1/em-1/manifest.json", registered.Manifest!.Name);

        // The stored prediction is the model's prediction of the EM, on the EM's grid.
        using var model = new StructurePredictor(ModelBundle.Load(Path.Combine(bed.ModelFolder, Structure)));
        var pixel = new VoxelSize(EmPixelMicrometres, EmPixelMicrometres, EmPixelMicrometres);
        var expected = model.Predict(Scene.Value.ElectronMicrograph, pixel).Volume;
        var stored = HyperstackFile.Read(new MemoryStream(await DownloadAsync(bed, registered.Prediction.Name)), "prediction");
        Assert.Equal([Structure], stored.ChannelNames);
        Assert.Equal(EmPixelMicrometres, stored.VoxelSize!.Value.X, 1e-9);
        Assert.True(expected.Voxels.Zip(stored[0, 0].Voxels, (e, a) => Math.Abs(e - a)).Max() < 1e-4);

        // The event reports what registering that prediction into the reference gives.
        var fixedImage = new CalibratedImage(Scene.Value.FixedImmunofluorescence, Scene.Value.FixedPixelSizeMicrometres);
        var direct = EmRegistrationWork.Register(new CalibratedImage(expected, EmPixelMicrometres), fixedImage, CancellationToken.None).Result;
        Assert.Equal(direct.Outcome.ToString(), registered.Outcome.ToString());
        Assert.Equal(direct.ContentFraction, registered.ContentFraction, 1e-9);
        Assert.Equal(direct.Transform is null, registered.Transform is null);
        if (direct.Transform is { } transform)
        {
            Assert.Equal(transform.TranslationX, registered.TranslationX, 1e-3);
            Assert.Equal(transform.RotationDegrees, registered.RotationDegrees, 1e-3);
            var overlay = HyperstackFile.Read(new MemoryStream(await DownloadAsync(bed, registered.Overlay!.Name)), "overlay");
            Assert.Equal(["fixed", "moving"], overlay.ChannelNames);
        }

        using var report = JsonDocument.Parse(await DownloadAsync(bed, registered.Result.Name));
        Assert.Equal(registered.Outcome.ToString(), report.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(256, report.RootElement.GetProperty("fixed").GetProperty("width").GetInt32());

        // manifest.json is written last of the outputs and records the reference and the event it answers duplicates
        // with. announced.json is not an output: it is written after the publish, so it may or may not exist yet here.
        var manifestBlob = (await bed.OutputBlob(registered.Manifest.Name).GetPropertiesAsync()).Value;
        foreach (var name in (await bed.OutputNamesAsync()).Where(n => n != registered.Manifest.Name && !n.EndsWith("/" + PredictionLayout.AnnouncementFileName, StringComparison.Ordinal)))
        {
            Assert.True((await bed.OutputBlob(name).GetPropertiesAsync()).Value.LastModified <= manifestBlob.LastModified, name);
        }

        var manifest = StackManifest.Parse(await DownloadAsync(bed, registered.Manifest.Name), "manifest");
        Assert.Equal(reference, manifest.Reference!.Location);
        Assert.Equal(registered.Outcome, manifest.Registration!.Outcome);
        Assert.Equal(Modality.Em, manifest.Modality);
    }

    [SkippableFact]
    public async Task A_duplicate_em_message_republishes_the_registration_without_computing_again()
    {
        await using var bed = await EmBedAsync();
        var (em, reference) = await UploadSceneAsync(bed);
        var message = EmStack(bed, "em-dup", em, reference);

        await bed.PublishAsync(message);
        var first = (await bed.Events.WaitForAsync(e => e.StackId == "em-dup", Patience)).Registered!;
        var manifestBefore = (await bed.OutputBlob(first.Manifest!.Name).GetPropertiesAsync()).Value.ETag;
        var predictionBefore = (await bed.OutputBlob(first.Prediction!.Name).GetPropertiesAsync()).Value.ETag;
        await bed.PublishAsync(message);
        var second = (await bed.Events.WaitForAsync(e => e.StackId == "em-dup", 2, Patience))[1].Registered!;

        Assert.True(second.Reused);
        Assert.Equal(first.RegisteredAt, second.RegisteredAt);
        Assert.Equal(first.Outcome, second.Outcome);
        Assert.Equal(first.Transform, second.Transform);
        Assert.Equal(manifestBefore, (await bed.OutputBlob(first.Manifest.Name).GetPropertiesAsync()).Value.ETag);
        Assert.Equal(predictionBefore, (await bed.OutputBlob(first.Prediction.Name).GetPropertiesAsync()).Value.ETag);
    }

    [SkippableFact]
    public async Task An_em_stack_without_a_reference_is_predicted_only_and_answered_with_StackPredicted()
    {
        await using var bed = await EmBedAsync();
        var (em, _) = await UploadSceneAsync(bed);

        await bed.PublishAsync(bed.Stack("em-only", em) with { Modality = Modality.Em });
        var predicted = (await bed.Events.WaitForAsync(e => e.StackId == "em-only", Patience)).Predicted;

        Assert.NotNull(predicted);
        Assert.Equal([Structure], predicted.Channels.Select(c => c.Structure));
        Assert.Equal(new ImageShape { T = 1, C = 1, Z = 1, Y = 160, X = 160 }, predicted.OutputShape);
        Assert.DoesNotContain(await bed.OutputNamesAsync(), name => name.StartsWith("predictions/batch-1/em-only/", StringComparison.Ordinal) && name.EndsWith("registration.json", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_reference_that_is_not_a_tiff_is_rejected_and_nothing_is_written()
    {
        await using var bed = await EmBedAsync();
        var (em, _) = await UploadSceneAsync(bed);
        var notATiff = await bed.UploadInputAsync("reference.txt", "not an image"u8.ToArray());

        await bed.PublishAsync(EmStack(bed, "em-bad", em, notATiff));
        var rejected = (await bed.Events.WaitForAsync(e => e.StackId == "em-bad", Patience)).Rejected;

        Assert.NotNull(rejected);
        Assert.Equal(RejectionReason.NotATiff, rejected.Reason);
        Assert.Contains("reference.txt", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(["predictions/batch-1/em-bad/rejection.json"], await bed.OutputNamesAsync());
    }

    [SkippableFact]
    public async Task A_reference_without_a_pixel_size_is_rejected_as_an_invalid_message()
    {
        await using var bed = await EmBedAsync();
        var (em, _) = await UploadSceneAsync(bed);
        var bare = await bed.UploadInputAsync("bare.tif", TestStacks.Encode(Hyperstack.FromVolume(Scene.Value.FixedImmunofluorescence)));

        await bed.PublishAsync(EmStack(bed, "em-bare", em, bare));
        var rejected = (await bed.Events.WaitForAsync(e => e.StackId == "em-bare", Patience)).Rejected;

        Assert.NotNull(rejected);
        Assert.Equal(RejectionReason.InvalidMessage, rejected.Reason);
        Assert.Contains("referencePixelSizeMicrometres", rejected.Message, StringComparison.Ordinal);
    }

    private static SimulatedRegistrationScene Simulate(int seed) => new RegistrationSceneSimulator(new RegistrationScene
    {
        FixedSize = 256,
        MovingSize = 160,
        MovingPixelSizeMicrometres = EmPixelMicrometres,
        MaximumRotationDegrees = 5,
        Seed = seed,
    }).Simulate();

    // The light-microscopy bed plus a 2D model configured for EM (a random one unless saveModel says otherwise),
    // with one worker, or one per entry of workers (each with its own changes to the services).
    private async Task<WorkerTestBed> EmBedAsync(Func<string, string>? saveModel = null, params Action<IServiceCollection>[] workers)
    {
        var bed = await WorkerTestBed.CreateAsync(broker.RequireAmqpUri(), azurite.RequireConnectionString());
        var folder = saveModel?.Invoke(bed.ModelFolder) ?? TinyModels.Save2D(bed.ModelFolder, Structure, seed: 21, EmPixelMicrometres);
        foreach (var file in Directory.GetFiles(folder))
        {
            await bed.OutputBlob($"models/{Structure}/v1/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true);
        }

        var index = WorkerTestBed.Structures.Length;
        bed.Settings[$"LabelFree:Models:{index}:Structure"] = Structure;
        bed.Settings[$"LabelFree:Models:{index}:Modality"] = "Em";
        bed.Settings[$"LabelFree:Models:{index}:Location:Prefix"] = $"models/{Structure}/v1/";
        foreach (var services in workers.Length == 0 ? [null] : workers.Cast<Action<IServiceCollection>?>())
        {
            await bed.StartWorkerAsync(services);
        }

        return bed;
    }

    private static async Task<(BlobLocation Em, BlobLocation Reference)> UploadSceneAsync(WorkerTestBed bed)
    {
        var scene = Scene.Value;
        var emPixel = new VoxelSize(EmPixelMicrometres, EmPixelMicrometres, EmPixelMicrometres);
        var fixedPixel = new VoxelSize(scene.FixedPixelSizeMicrometres, scene.FixedPixelSizeMicrometres, scene.FixedPixelSizeMicrometres);
        var em = await bed.UploadInputAsync("em.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(scene.ElectronMicrograph, emPixel, "em")));
        var reference = await bed.UploadInputAsync("if.ome.tiff", TestStacks.Encode(Hyperstack.FromVolume(scene.FixedImmunofluorescence, fixedPixel, "MBP")));
        return (em, reference);
    }

    private static StackAcquired EmStack(WorkerTestBed bed, string stackId, BlobLocation em, BlobLocation reference) =>
        bed.Stack(stackId, em) with { Modality = Modality.Em, ReferenceImage = reference };

    private static async Task<byte[]> DownloadAsync(WorkerTestBed bed, string name) =>
        (await bed.OutputBlob(name).DownloadContentAsync()).Value.Content.ToArray();
}
