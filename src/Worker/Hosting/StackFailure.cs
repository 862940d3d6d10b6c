namespace LabelFree.Worker.Hosting;

/// <summary>Why a stack attempt failed with a defect; the "reason" label of labelfree_stacks_failed_total.</summary>
public enum StackFailure
{
    /// <summary>Any defect without a reason of its own (a bug, a broken model, a stack over its time budget).</summary>
    Defect,

    /// <summary>A structure's prediction held NaN or infinite voxels: the model's or this machine's arithmetic is wrong.</summary>
    NonFinitePrediction,

    /// <summary>The stack's earlier attempts died with their workers (a poison message, most likely out of memory).</summary>
    Poison,
}
