using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Cli;

/// <summary>What `labelfree bench worker` sends through the worker: how many stacks of what size and voxel size, how
/// many structure models, and how many stacks the worker keeps in flight.</summary>
public sealed record WorkerBenchPlan(int Stacks, int Structures, VolumeShape Shape, VoxelSize VoxelSize, int Concurrency);
