using LabelFree.Pipeline.Imaging;

namespace LabelFree.Pipeline.Training;

/// <summary>One pre-processed training pair on the model's grid: z-scored signal and target of one shape.</summary>
public sealed record TrainingVolumes(string Name, Volume Signal, Volume Target)
{
    public VolumeShape Shape => Signal.Shape;
}
