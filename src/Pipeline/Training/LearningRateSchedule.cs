namespace LabelFree.Pipeline.Training;

/// <summary>How the learning rate moves during a run.</summary>
public enum LearningRateSchedule
{
    /// <summary>The paper's: the same rate throughout.</summary>
    Constant,

    /// <summary>Half a cosine from the set rate down to 0 over the run (its iterations or its compute budget, whichever ends it).</summary>
    Cosine,
}
