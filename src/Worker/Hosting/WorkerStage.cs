namespace LabelFree.Worker.Hosting;

/// <summary>The timed stages of one stack, in order; the "stage" label of labelfree_stage_duration_seconds.</summary>
public enum WorkerStage
{
    /// <summary>Fetching the input from storage.</summary>
    Download,

    /// <summary>Decoding the TIFF.</summary>
    Decode,

    /// <summary>Channel selection, resampling, normalisation, padding.</summary>
    Preprocess,

    /// <summary>One structure model's tiled prediction (recorded per structure).</summary>
    Inference,

    /// <summary>Writing the OME-TIFF.</summary>
    Encode,

    /// <summary>Uploading outputs and the manifest.</summary>
    Upload,
}
