using System.Diagnostics;
using LabelFree.Messages;
using LabelFree.Pipeline.Compute;
using LabelFree.Pipeline.Distribution;
using LabelFree.Pipeline.Evaluation;
using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Prediction;
using LabelFree.Pipeline.Preprocessing;
using LabelFree.Worker.Consumers.Protocol;
using LabelFree.Worker.Hosting;
using LabelFree.Worker.Storage;

namespace LabelFree.Worker.Consumers;

/// <summary>
/// The computation of a light-microscopy stack (and of an EM stack without a reference): decode, pick the
/// transmitted-light channel, predict every structure, check that the prediction is finite, score against ground
/// truth when asked, and encode one integrated prediction, an OME-TIFF or an OME-Zarr store.
/// </summary>
public sealed class StackPredictionWork(StackRequest request, ModelCatalog catalog, WorkerOptions options, WorkerTelemetry telemetry) : IStackWork
{
    private readonly IReadOnlyList<ManifestModel> _models = [.. request.Models.Select(m => m.Describe())];

    public IReadOnlyList<BlobLocation> Inputs => [request.Message.Input];

    public string? Conflict(StackManifest existing, IReadOnlyList<DownloadedInput> inputs)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(inputs);
        return existing.Matches(inputs[0].Sha256, _models, request.Message) ? null : existing.Difference(inputs[0].Sha256, _models, request.Message);
    }

    public async Task<ComputedStack> ComputeAsync(IReadOnlyList<DownloadedInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var message = request.Message;
        var input = inputs[0];
        var computing = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        var inputName = message.Input.ToString();
        var image = HyperstackFile.Read(new MemoryStream(input.Bytes, writable: false), inputName, ImageReadOptions.Default with
        {
            MaxVoxels = options.PredictionCapacity.MaxInputVoxels,
            RejectNonFiniteValues = true,
        });
        var decode = stage.Elapsed;
        telemetry.RecordStage(WorkerStage.Decode, decode);

        var lightChannel = ChannelChoice.Resolve(image, message.TransmittedLightChannel.Index, message.TransmittedLightChannel.Name, $"{inputName} (transmitted-light channel)");
        var truthChannels = (message.GroundTruthChannels ?? new Dictionary<string, ChannelSelector>())
            .ToDictionary(p => p.Key, p => ChannelChoice.Resolve(image, p.Value.Index, p.Value.Name, $"{inputName} (ground-truth channel of {p.Key})"), StringComparer.OrdinalIgnoreCase);
        var light = image.SelectChannel(lightChannel);
        if (request.VoxelSizeOverride is { } overrideSize)
        {
            light = light.WithVoxelSize(overrideSize);
        }

        // Resampling to a model's voxel size can make a small stack huge: bounded by the same cap, before computing.
        foreach (var model in request.Models)
        {
            ModelGridLimit.Check(light.Shape.Volume, light.VoxelSize, model.Predictor.Grid, options.PredictionCapacity.MaxInputVoxels, inputName);
        }

        var predictor = new IntegratedPredictor([.. request.Models.Select(m => m.Predictor)]);
        var prediction = await catalog.Compute.RunAsync(() => predictor.Predict(light, cancellationToken), cancellationToken);
        foreach (var (structure, elapsed) in prediction.InferenceByStructure)
        {
            telemetry.RecordInference(structure, elapsed);
        }

        telemetry.RecordStage(WorkerStage.Preprocess, prediction.Preprocess);
        var channels = Score(prediction.Image, image, truthChannels, prediction.DistributionByStructure);

        stage.Restart();
        var imageName = $"{request.BatchId}/{request.StackId}";
        StackOutput output = options.Output.Format == OutputFormat.OmeZarr
            ? new ZarrOutput(PredictionLayout.PredictionStoreName, prediction.Image, imageName)
            : FileOutput.OmeTiff(prediction.Image, imageName, PredictionLayout.PredictionFileName);
        var encode = stage.Elapsed;
        telemetry.RecordStage(WorkerStage.Encode, encode);
        telemetry.RecordThroughput(light.Shape.VoxelCount, computing.Elapsed);

        var timings = ComputedStack.ComputationTimings(decode, prediction.Preprocess, prediction.InferenceByStructure, encode);
        return new ComputedStack([output], timings, commit => Manifest(commit, input, image, lightChannel, prediction.Image.Shape, channels));
    }

    private StackManifest Manifest(StackCommit commit, DownloadedInput input, Hyperstack image, int lightChannel, HyperstackShape outputShape,
        IReadOnlyList<PredictedChannel> channels)
    {
        var message = request.Message;
        var stored = commit.Outputs[0];
        var format = options.Output.Format;
        var predicted = new StackPredicted
        {
            StackId = request.StackId,
            BatchId = request.BatchId,
            Output = stored.Location,
            OutputFormat = format,
            Manifest = commit.ManifestLocation,
            Channels = channels,
            Timings = commit.Timings,
            InputShape = ManifestShapes.Of(image.Shape),
            OutputShape = ManifestShapes.Of(outputShape),
            WorkerHost = Environment.MachineName,
            Reused = false,
            CompletedAt = commit.CommittedAt,
        };
        return new StackManifest
        {
            FormatVersion = StackManifest.CurrentFormatVersion,
            StackId = request.StackId,
            BatchId = request.BatchId,
            Modality = message.Modality,
            Input = new ManifestInput(message.Input, input.Sha256, input.Bytes.Length, ManifestShapes.Of(image.Shape), ManifestShapes.Of(image.VoxelSize),
                lightChannel, image.ChannelNames[lightChannel]),
            RequestedTransmittedLightChannel = message.TransmittedLightChannel,
            VoxelSizeOverride = message.VoxelSizeOverride,
            Output = new ManifestOutput(stored.Location, stored.Sha256, stored.Bytes, ManifestShapes.Of(outputShape)) { Format = format },
            Models = _models,
            Channels = channels,
            Timings = commit.Timings,
            WorkerHost = Environment.MachineName,
            Compute = ComputeRecord.Current,
            CreatedAt = commit.CommittedAt,
            Metadata = message.Metadata,
            Prediction = predicted,
        };
    }

    // Pearson r per structure against its ground-truth channel: the mean of the per-time-point r values
    // (each time point is its own acquisition, normalised on its own); null when none is defined.
    // and the out-of-distribution score of the input when the model's bundle describes its training inputs.
    private List<PredictedChannel> Score(Hyperstack prediction, Hyperstack input, IReadOnlyDictionary<string, int> truthChannels,
        IReadOnlyDictionary<string, DistributionScore> distributions)
    {
        var channels = new List<PredictedChannel>();
        for (var c = 0; c < request.Models.Count; c++)
        {
            var model = request.Models[c];
            double? r = null;
            if (truthChannels.TryGetValue(model.Structure, out var truth))
            {
                var values = Enumerable.Range(0, prediction.Frames)
                    .Select(t => PearsonCorrelation.Between(prediction[t, c], input[t, truth]).R)
                    .Where(value => value.HasValue)
                    .Select(value => value!.Value)
                    .ToArray();
                r = values.Length > 0 ? values.Average() : null;
                if (r is { } score)
                {
                    telemetry.RecordPearsonR(model.Structure, score);
                }
            }

            var distribution = distributions.GetValueOrDefault(model.Structure);
            if (distribution is not null)
            {
                telemetry.RecordDistribution(model.Structure, distribution.OutOfDistribution);
            }

            channels.Add(new PredictedChannel
            {
                Index = c,
                Structure = model.Structure,
                ModelId = model.ModelId,
                WeightsSha256 = model.WeightsSha256,
                PearsonR = r,
                DistributionScore = distribution?.Score,
                OutOfDistribution = distribution?.OutOfDistribution,
            });
        }

        return channels;
    }
}
