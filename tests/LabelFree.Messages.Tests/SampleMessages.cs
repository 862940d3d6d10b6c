namespace LabelFree.Messages.Tests;

/// <summary>Fully populated contracts, every optional field set, so round trips cover every property.</summary>
internal static class SampleMessages
{
    public static readonly DateTimeOffset Noon = new(2024, 5, 1, 12, 30, 15, 250, TimeSpan.FromHours(2));

    public static StackAcquired Acquired() => new()
    {
        StackId = "well-B4_t003",
        BatchId = "plate-2024-05-01",
        Input = new BlobLocation { Container = "inputs", Name = "2024-05-01/plate-3/well-B4.ome.tiff" },
        Modality = Modality.Dic,
        TransmittedLightChannel = new ChannelSelector { Name = "DIC" },
        VoxelSizeOverride = new VoxelSizeMicrometres { Z = 0.29, Y = 0.108, X = 0.108 },
        Structures = ["dna", "membrane"],
        GroundTruthChannels = new Dictionary<string, ChannelSelector>
        {
            ["dna"] = new() { Index = 2 },
            ["membrane"] = new() { Name = "CellMask" },
        },
        ReferenceImage = new BlobLocation { Container = "inputs", Name = "if/well-B4-mbp.tif" },
        ReferencePixelSizeMicrometres = 0.1,
        Metadata = new Dictionary<string, string> { ["operator"] = "jd", ["microscope"] = "zeiss-1" },
    };

    public static StackPredicted Predicted() => new()
    {
        StackId = "well-B4_t003",
        BatchId = "plate-2024-05-01",
        Output = new BlobLocation { Container = "labelfree", Name = "predictions/plate-2024-05-01/well-B4_t003/prediction.ome.tiff" },
        Manifest = new BlobLocation { Container = "labelfree", Name = "predictions/plate-2024-05-01/well-B4_t003/manifest.json" },
        Channels =
        [
            new PredictedChannel { Index = 0, Structure = "dna", ModelId = "dna/v3", WeightsSha256 = new string('a', 64), PearsonR = 0.87 },
            new PredictedChannel { Index = 1, Structure = "membrane", ModelId = "membrane/v1", WeightsSha256 = new string('b', 64) },
        ],
        Timings = Timings(),
        InputShape = new ImageShape { T = 2, C = 3, Z = 48, Y = 240, X = 368 },
        OutputShape = new ImageShape { T = 2, C = 2, Z = 48, Y = 240, X = 368 },
        WorkerHost = "worker-7c9f",
        Reused = true,
        CompletedAt = Noon,
    };

    public static StackRejected Rejected() => new()
    {
        StackId = "well-C1",
        BatchId = "plate-2024-05-01",
        Reason = RejectionReason.ChannelOutOfRange,
        Message = "inputs/well-C1.tif has 2 channels; the message asks for channel 5",
        RejectedAt = Noon,
    };

    public static EmRegistered Registered() => new()
    {
        StackId = "em-17",
        BatchId = "em-batch-1",
        Outcome = RegistrationOutcome.Registered,
        Converged = true,
        Transform = new AffineTransform2D { M00 = 0.98, M01 = -0.17, M02 = 120.5, M10 = 0.17, M11 = 0.98, M12 = -33.25 },
        Scale = 1.0,
        RotationDegrees = 10.0,
        TranslationX = 120.5,
        TranslationY = -33.25,
        Quality = 0.64,
        Confidence = 0.82,
        ContentFraction = 0.031,
        ErrorPixels = 1.2,
        Prediction = new BlobLocation { Container = "labelfree", Name = "predictions/em-batch-1/em-17/prediction.ome.tiff" },
        Overlay = new BlobLocation { Container = "labelfree", Name = "predictions/em-batch-1/em-17/overlay.png" },
        Result = new BlobLocation { Container = "labelfree", Name = "predictions/em-batch-1/em-17/registration.json" },
        Timings = Timings(),
        RegistrationSeconds = 4.5,
        WorkerHost = "worker-7c9f",
        RegisteredAt = Noon,
    };

    private static StageTimings Timings() => new()
    {
        DownloadSeconds = 0.5,
        DecodeSeconds = 0.25,
        PreprocessSeconds = 1.5,
        InferenceSeconds = new Dictionary<string, double> { ["dna"] = 11.0, ["membrane"] = 10.75 },
        EncodeSeconds = 0.75,
        UploadSeconds = 1.25,
        TotalSeconds = 26.0,
    };
}
