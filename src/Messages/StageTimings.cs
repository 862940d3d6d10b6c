namespace LabelFree.Messages;

/// <summary>Wall-clock seconds spent in each stage of one stack's processing.</summary>
public sealed record StageTimings
{
    /// <summary>Fetching the input from storage.</summary>
    public required double DownloadSeconds { get; init; }

    /// <summary>Decoding the TIFF into the image type.</summary>
    public required double DecodeSeconds { get; init; }

    /// <summary>Channel selection, resampling and normalisation, over all models.</summary>
    public required double PreprocessSeconds { get; init; }

    /// <summary>Tiled prediction per structure model, keyed by structure.</summary>
    public required IReadOnlyDictionary<string, double> InferenceSeconds { get; init; }

    /// <summary>Writing the OME-TIFF.</summary>
    public required double EncodeSeconds { get; init; }

    /// <summary>Uploading the outputs and the manifest.</summary>
    public required double UploadSeconds { get; init; }

    /// <summary>From receiving the message to publishing the result.</summary>
    public required double TotalSeconds { get; init; }
}
