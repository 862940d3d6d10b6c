namespace LabelFree.Pipeline.Imaging;

/// <summary>The sample type <see cref="OmeTiffWriter"/> stores.</summary>
public enum OmeTiffSampleType
{
    /// <summary>Exact float32 voxels (OME Type "float").</summary>
    Float32,

    /// <summary>uint16 through a recorded <see cref="SampleScaling"/>: half the size, rounding error of Scale / 2.</summary>
    UInt16,
}
